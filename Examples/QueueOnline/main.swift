// queue-online: the native public-client pilot (see QueueOnline.swift).
import Foundation
import HTTPClient
import LoginKit

let usage = """
    usage: queue-online [--issuer URL] [--browser-auto CITIZEN_ID --device-key FILE]
           queue-online simulate-device --qr QR_PAYLOAD --citizen-id ID --out FILE
      Signs a citizen in through the broker (PKCE, loopback redirect) and books a queue slot.
      --browser-auto plays the browser itself; the device that approves is a simulated one whose
      key is in FILE (made by `simulate-device` from an officer's enrollment QR payload).
    """

func run() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--help" || arguments.first == "-h" {
        Console.line(usage)
        return
    }
    if arguments.first == "simulate-device" {
        let options = try CommandLineOptions(Array(arguments.dropFirst()))
        let device = try SimulatedDevice.enroll(qrPayload: try options.required("qr"), citizenID: try options.required("citizen-id"),
                                                name: "Queue Online test phone", client: .loopback())
        try device.save(to: try options.required("out"))
        Console.line("enrolled simulated device \(device.deviceID)")
        return
    }
    let options = try CommandLineOptions(arguments)
    if options.value("device-state") != nil {
        throw LoginKitError.usage("approving through phisut-device arrives with issue 5; use --device-key with a simulated device")
    }
    var automation: (String, SimulatedDevice)?
    if let citizenID = options.value("browser-auto") {
        let device = try SimulatedDevice.load(from: try options.required("device-key"))
        guard device.citizenID == citizenID else { throw LoginKitError.usage("the device file belongs to another citizen") }
        automation = (citizenID, device)
    }
    let app = QueueOnline(issuer: options.value("issuer") ?? "http://127.0.0.1:8080") { Console.line($0) }
    Console.line(try app.signInAndBook(automation: automation))
}

do {
    try run()
} catch {
    Console.error("queue-online: \(error)")
    exit(1)
}
