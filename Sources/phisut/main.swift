import Broker
import BrokerHTTP
import Foundation
import HTTP
import Storage

// phisut — the broker's command line (CONTRACT.md, "Command line").

let usage = """
    usage: phisut <command> [options]

    commands:
      serve [--host H] [--port N] [--issuer URL] [--db PATH] [--metadata DIR]
                                  run the broker (--port 0 picks a free port)
      officers add --name NAME --office CODE [--db PATH]
                                  create a registration officer; prints its token
      officers list [--db PATH]   list officers
      officers disable ID [--db PATH]
                                  disable an officer
      partners add --name NAME [--token-lifetime SECONDS] [--token-uses N] [--db PATH]
                                  create a partner; prints an initial access token
      partners list [--db PATH]   list partners
      partners revoke ID [--db PATH]
                                  revoke a partner's initial access tokens and disable it
      clients list [--partner ID] [--metadata DIR] [--db PATH]
                                  list clients (metadata files and registered)
      clients show ID [--db PATH] show a registered client's metadata
      clients disable ID [--db PATH]
                                  disable a registered client and revoke its grants
      keys rotate [--db PATH]     new signing keys; prints the new key ids
      keys list [--db PATH]       list signing keys

    Run `phisut <command> --help` for the options of one command.
    """

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data(("phisut: " + message + "\n").utf8))
    exit(status)
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let words = Array(CommandLine.arguments.dropFirst())
guard let command = words.first else { fail("no command given; try `phisut --help`", status: 2) }
if command == "--help" || command == "-h" || command == "help" {
    say(usage)
    exit(0)
}

do {
    switch command {
    case "serve": try Commands.serve(Array(words.dropFirst()))
    case "officers": try Commands.officers(Array(words.dropFirst()))
    case "partners": try Commands.partners(Array(words.dropFirst()))
    case "clients": try Commands.clients(Array(words.dropFirst()))   // dynamic client registration
    case "keys": try Commands.keys(Array(words.dropFirst()))
    default: fail("unknown command '\(command)'; try `phisut --help`", status: 2)
    }
} catch let error as CLIError {
    fail(error.description, status: error.usage ? 2 : 1)
} catch let error as OAuthError {
    fail(error.errorDescription)
} catch {
    fail("\(error)")
}
