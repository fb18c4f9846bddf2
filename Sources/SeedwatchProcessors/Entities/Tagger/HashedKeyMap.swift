/// A map from 64-bit hashes to small values: open addressing with linear probing, key and value
/// side by side in one flat array, so a lookup touches one cache line.
///
/// The tagger looks words and gazetteer names up by hash several times per token; the standard
/// `Dictionary` hashes its keys again (SipHash) and keeps keys and values in separate arrays. The
/// keys here are hashes already, mixed once more by a multiplication. No removal.
struct HashedKeyMap<Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        var key: UInt64
        var value: Value
    }

    /// Key 0 marks an empty slot; a real key 0 is kept aside.
    private var slots: [Slot?]
    private var zeroKeyValue: Value?
    private(set) var count = 0
    private var shift: UInt64

    init(minimumCapacity: Int = 0) {
        var capacity = 8
        // At most three quarters full: probes stay short, the table no bigger than a `Dictionary`'s.
        while capacity * 3 < minimumCapacity * 4 { capacity *= 2 }
        slots = [Slot?](repeating: nil, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) &>> shift)
    }

    subscript(key: UInt64) -> Value? {
        get {
            if key == 0 { return zeroKeyValue }
            return slots.withUnsafeBufferPointer { slots in
                let mask = slots.count &- 1
                var index = home(key)
                while let slot = slots[index] {
                    if slot.key == key { return slot.value }
                    index = (index &+ 1) & mask
                }
                return nil
            }
        }
        set {
            guard let newValue else { return }  // no removal; nothing asks for it
            if key == 0 {
                if zeroKeyValue == nil { count += 1 }
                zeroKeyValue = newValue
                return
            }
            if (count + 1) * 4 > slots.count * 3 { grow() }
            let mask = slots.count - 1
            var index = home(key)
            while let slot = slots[index] {
                if slot.key == key {
                    slots[index] = Slot(key: key, value: newValue)
                    return
                }
                index = (index + 1) & mask
            }
            slots[index] = Slot(key: key, value: newValue)
            count += 1
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot?](repeating: nil, count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for case let slot? in old {
            var index = home(slot.key)
            while slots[index] != nil { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    /// Every pair, ascending by key (for files and tests: the slot order depends on the capacity).
    var sortedPairs: [(key: UInt64, value: Value)] {
        var out: [(key: UInt64, value: Value)] = []
        out.reserveCapacity(count)
        if let zeroKeyValue { out.append((0, zeroKeyValue)) }
        for case let slot? in slots { out.append((slot.key, slot.value)) }
        return out.sorted { $0.key < $1.key }
    }
}
