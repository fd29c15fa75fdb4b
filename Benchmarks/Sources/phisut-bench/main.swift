// phisut-bench: micro-benchmarks, one subcommand per module. Add a case per subcommand.
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "jose":
    JOSEBench.run(arguments: Array(arguments.dropFirst()))
case "login":
    LoginBench.run(arguments: Array(arguments.dropFirst()))
case "enroll":
    EnrollBench.run(arguments: Array(arguments.dropFirst()))
default:
    print("usage: phisut-bench <subcommand> [options]")
    print("  jose [--seconds N] [--only ALG]   JWS sign/verify ops/s for ES256, RS256, EdDSA (single thread)")
    print("  login --url URL --officer-token T [--citizens N] [--logins N] [--concurrency N]   whole logins end to end")
    print("  enroll --url URL --officer-token T [--count N] [--concurrency N]   enrollments through the HTTP APIs")
    exit(arguments.first == nil || arguments.first == "--help" ? 0 : 2)
}
