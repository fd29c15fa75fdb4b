#if canImport(Glibc)
import Glibc
#endif

/// Latency samples of one call type, in seconds; merged across worker threads at the end.
struct EnrollLatencies: Sendable {
    private(set) var samples: [Double] = []

    mutating func reserve(_ count: Int) { samples.reserveCapacity(count) }
    mutating func record(_ seconds: Double) { samples.append(seconds) }
    mutating func merge(_ other: EnrollLatencies) { samples += other.samples }

    /// Nearest-rank percentile (`fraction` in 0...1) in milliseconds; 0 when empty.
    func percentileMilliseconds(_ fraction: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)] * 1000
    }

    var totalSeconds: Double { samples.reduce(0, +) }
}

/// Monotonic wall clock in seconds.
func enrollClock() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// User + system CPU seconds of this process (all threads).
func enrollProcessCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}
