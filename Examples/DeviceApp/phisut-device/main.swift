import DeviceKit
import Glibc

// A thin entry point: everything testable lives in DeviceKit.
exit(DeviceApp.standard().run(Array(CommandLine.arguments.dropFirst())))
