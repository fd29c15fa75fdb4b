/// A binary min-heap of (deadline, connection) per event loop: one entry per connection's
/// earliest deadline instead of a timer per connection; stale entries are skipped on pop.
struct TimerHeap {
    private var entries: [(deadline: Double, connection: Connection)] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var earliest: Double? { entries.first?.deadline }

    mutating func push(_ deadline: Double, _ connection: Connection) {
        entries.append((deadline, connection))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popDue(now: Double) -> (deadline: Double, connection: Connection)? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < entries.count, entries[left].deadline < entries[smallest].deadline { smallest = left }
                if right < entries.count, entries[right].deadline < entries[smallest].deadline { smallest = right }
                if smallest == parent { break }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }

    mutating func removeAll() { entries = [] }
}
