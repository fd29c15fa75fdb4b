import Broker
import Foundation

/// Periodic work of a running broker: pick up keys rotated by `phisut keys rotate` in another
/// process, and collect expired records.
enum Maintenance {
    static func start(broker: Broker, log: @escaping @Sendable (String) -> Void) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "phisut.maintenance"))
        timer.schedule(deadline: .now() + 60, repeating: 60)
        nonisolated(unsafe) var ticks = 0   // touched only on the timer's serial queue
        timer.setEventHandler {
            ticks += 1
            do {
                try broker.keys.reload()
                if ticks % 5 == 0 { _ = try broker.store.collectGarbage(now: broker.clock.now) }
            } catch {
                log("maintenance: \(error)")
            }
        }
        timer.resume()
        retained = timer
    }

    nonisolated(unsafe) private static var retained: DispatchSourceTimer?
}
