import Foundation
import JOSE
import JSON

extension SimulatedDevice {
    /// Saves `{issuer, device_id, citizen_id, key}` (the private JWK) readable by the owner only.
    public func save(to path: String) throws(LoginKitError) {
        let document: JSONValue = [
            "issuer": .string(issuer), "device_id": .string(deviceID), "citizen_id": .string(citizenID),
            "key": key.json(includePrivate: true),
        ]
        let created = FileManager.default.createFile(atPath: path, contents: Data(document.serialized()),
                                                     attributes: [.posixPermissions: 0o600])
        guard created else { throw .usage("cannot write \(path)") }
    }

    /// Reads a file written by ``save(to:)``.
    public static func load(from path: String) throws(LoginKitError) -> SimulatedDevice {
        guard let data = FileManager.default.contents(atPath: path) else { throw .usage("cannot read \(path)") }
        do {
            let document = try JSONValue(parsing: Array(data))
            guard let issuer = document["issuer"]?.stringValue, let deviceID = document["device_id"]?.stringValue,
                  let citizenID = document["citizen_id"]?.stringValue, let keyJSON = document["key"]
            else { throw LoginKitError.usage("\(path) is not a simulated device file") }
            return SimulatedDevice(issuer: issuer, deviceID: deviceID, citizenID: citizenID, key: try JWK(json: keyJSON))
        } catch let error as LoginKitError {
            throw error
        } catch {
            throw .usage("\(path): \(error)")
        }
    }
}
