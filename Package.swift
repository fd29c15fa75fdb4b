// swift-tools-version:6.0
// Phisut: a digital-identity proofing and federation broker.
// No Swift package dependencies: Foundation, Dispatch, Glibc and system C libraries only.
import PackageDescription

let package = Package(
    name: "Phisut",
    products: [
        .executable(name: "phisut", targets: ["phisut"]),
        .executable(name: "phisut-device", targets: ["phisut-device"]),
    ],
    targets: [
        // System libraries: a module map and a small shim header each.
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CQRencode", providers: [.apt(["libqrencode-dev"])]),

        .target(name: "JSON"),
        .target(name: "JOSE", dependencies: ["JSON", "COpenSSL"]),
        .target(name: "HTTP"),
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        .target(name: "Storage", dependencies: ["CSQLite", "CPQ"]),
        .target(name: "Broker", dependencies: ["JSON", "JOSE", "Storage"]),
        .target(name: "BrokerHTTP", dependencies: ["Broker", "HTTP", "HTTPClient", "JSON", "JOSE", "CQRencode"]),
        .executableTarget(name: "phisut", dependencies: ["BrokerHTTP", "Broker", "Storage", "HTTP", "JOSE", "JSON"]),

        .target(
            name: "DeviceKit", dependencies: ["JOSE", "JSON", "HTTPClient", "COpenSSL"],
            path: "Examples/DeviceApp/DeviceKit"),
        .executableTarget(
            name: "phisut-device", dependencies: ["DeviceKit"],
            path: "Examples/DeviceApp/phisut-device"),
        .executableTarget(
            name: "phisut-bench", dependencies: ["JOSE", "JSON", "HTTPClient", "Broker", "Storage", "LoginKit"],
            path: "Benchmarks/Sources/phisut-bench"),
        .target(name: "LoginKit", dependencies: ["JOSE", "JSON", "HTTP", "HTTPClient"], path: "Examples/LoginKit"),
        .executableTarget(name: "queue-online", dependencies: ["LoginKit", "HTTP", "JOSE", "JSON"], path: "Examples/QueueOnline"),
        .executableTarget(name: "linkage-center", dependencies: ["LoginKit", "HTTP", "JOSE", "JSON"], path: "Examples/LinkageCenter",
            exclude: ["linkage-center-test-key.json"]),
        .executableTarget(name: "http-bench-server", dependencies: ["HTTP"], path: "Benchmarks/Sources/http-bench-server"),
        // issue 5 (CIBA examples): the counter-service desk, a CIBA poll/ping client.
        .executableTarget(name: "counter-desk", dependencies: ["LoginKit", "HTTP", "HTTPClient", "JOSE", "JSON"], path: "Examples/CounterDesk",
            exclude: ["counter-desk-test-key.json"]),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "JOSETests", dependencies: ["JOSE", "JSON"], resources: [.copy("TestVectors")]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "Storage", "JOSE", "JSON"]),
        .testTarget(name: "DeviceKitTests", dependencies: ["DeviceKit", "JOSE", "JSON", "HTTPClient"]),
        .testTarget(
            name: "BrokerHTTPTests",
            dependencies: ["BrokerHTTP", "Broker", "Storage", "HTTP", "HTTPClient", "JOSE", "JSON"]),
    ],
    swiftLanguageModes: [.v6]
)
