/// Term → id over the interned terms themselves: a table of ids (open addressing, linear probing).
///
/// A `[String: Int32]` kept a second copy of every term's 16-byte string beside its id, 20 bytes
/// a slot at most 3/4 full; this keeps 4 bytes a slot at most half full and compares against
/// `terms[id]` (~1 MiB less after the 2,225 BBC articles). Ids are given by the caller in order,
/// so the per-process seed of `hashValue` changes where ids sit, never which id a term has.
struct TermIndex: Sendable {
    /// id + 1 per slot, 0 when empty; the count is a power of two.
    private var slots: [UInt32] = []
    private(set) var count = 0

    /// The id of `term`, looked up among `terms` (the strings of the ids inserted so far).
    func id(of term: String, in terms: [String]) -> Int32? {
        id(of: term, hash: term.hashValue, in: terms)
    }

    /// The same with `term.hashValue` already taken (the turn's look-ups hash nothing).
    func id(of term: String, hash: Int, in terms: [String]) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if terms[id] == term { return Int32(id) }
            slot = (slot + 1) & mask
        }
    }

    /// The ids of several terms (-1: absent). Every term's first slot is read before any term is
    /// compared, and every candidate's string before any comparison: loads that do not wait for
    /// one another, so their cache misses (the table and the terms are larger than the caches)
    /// overlap instead of queueing one behind the other.
    func ids(of batch: [PreparedTopicDocument.Term], in terms: [String]) -> [Int32] {
        var out = [Int32](repeating: -1, count: batch.count)
        guard !slots.isEmpty else { return out }
        let mask = slots.count - 1
        let first = batch.map { slots[$0.hash & mask] }
        let candidates = first.map { $0 == 0 ? "" : terms[Int($0 - 1)] }
        for (index, term) in batch.enumerated() {
            var entry = first[index]
            if entry != 0, candidates[index] == term.term {
                out[index] = Int32(entry - 1)
                continue
            }
            var slot = term.hash & mask
            while entry != 0 {
                let id = Int(entry - 1)
                if terms[id] == term.term {
                    out[index] = Int32(id)
                    break
                }
                slot = (slot + 1) & mask
                entry = slots[slot]
            }
        }
        return out
    }

    /// Records `terms[id]`, which must be in `terms` and not yet in the index.
    mutating func insert(_ id: Int32, in terms: [String]) {
        insert(id, hash: terms[Int(id)].hashValue, in: terms)
    }

    /// The same with `terms[id].hashValue` already taken.
    mutating func insert(_ id: Int32, hash: Int, in terms: [String]) {
        if (count + 1) * 2 > slots.count {
            let old = slots
            slots = [UInt32](repeating: 0, count: max(1_024, old.count * 2))
            for entry in old where entry != 0 { place(entry, hash: terms[Int(entry - 1)].hashValue) }
        }
        place(UInt32(id) + 1, hash: hash)
        count += 1
    }

    private mutating func place(_ entry: UInt32, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }
}
