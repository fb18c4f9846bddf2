/// A map that keeps at most `capacity` keys, forgetting the least recently used ones.
///
/// Recency is a counter stamped on each use; when the map grows past its capacity the oldest
/// eighth is dropped at once, so the sort that finds them runs once per `capacity / 8` insertions
/// rather than on every one.
struct RecentCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        var value: Value
        var used: UInt64
    }

    let capacity: Int
    private var slots: [Key: Slot] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { slots.count }

    /// Whether the key is held, without marking it as used.
    func contains(_ key: Key) -> Bool { slots[key] != nil }

    /// The value, marked as just used.
    mutating func get(_ key: Key) -> Value? {
        clock += 1
        let now = clock
        guard let index = slots.index(forKey: key) else { return nil }
        slots.values[index].used = now
        return slots.values[index].value
    }

    mutating func set(_ key: Key, _ value: Value) {
        clock += 1
        slots[key] = Slot(value: value, used: clock)
        if slots.count > capacity { trim() }
    }

    private mutating func trim() {
        let keep = capacity - capacity / 8
        let stamps = slots.values.map(\.used).sorted(by: >)
        guard keep > 0, keep < stamps.count else { return }
        let oldestKept = stamps[keep - 1]
        slots = slots.filter { $0.value.used >= oldestKept }
    }
}
