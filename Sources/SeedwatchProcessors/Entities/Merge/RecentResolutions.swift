import SeedwatchCore

/// Which documents the registry resolved last, kept in its state (`recent/<slot>`, written in the
/// same transaction as the document's log row), with the names it gave them.
///
/// A kill -9 after the registry's write but before the daemon's ledger row makes the daemon
/// process the document again. Resolved a second time it would count the document twice for every
/// entity it names; instead the registry hands back the names and counts of the first time and
/// changes nothing, as the topic tracker does (`RecentObservations`). Only the ids are kept in
/// memory; the names are read from the store on the rare second visit.
struct RecentResolutions {
    /// At least the documents that can be between the registry and the ledger at once: the
    /// largest `pipeline.max_in_flight`.
    static let capacity = 1024
    static let keyPrefix = "recent/"

    typealias Resolved = [(name: String, type: String, documents: Int)]

    private var slotOfID: [String: Int] = [:]
    private var idOfSlot: [Int: String] = [:]
    /// The number of the next document; it takes slot `next % capacity`.
    private(set) var next = 0

    func slot(of id: String) -> Int? { slotOfID[id] }

    static func key(_ slot: Int) -> String { keyPrefix + String(slot) }

    /// Takes the next slot for `id`, forgetting the document that had it.
    mutating func insert(id: String) -> (slot: Int, number: Int) {
        let number = next
        remember(id: id, number: number)
        return (number % Self.capacity, number)
    }

    private mutating func remember(id: String, number: Int) {
        let slot = number % Self.capacity
        if let replaced = idOfSlot[slot], slotOfID[replaced] == slot { slotOfID.removeValue(forKey: replaced) }
        idOfSlot[slot] = id
        slotOfID[id] = slot
        next = max(next, number + 1)
    }

    /// Restores one stored slot (any order: the highest number decides the next).
    mutating func restore(key: String, bytes: [UInt8]) throws {
        guard let slot = Int(key.dropFirst(Self.keyPrefix.count)), slot >= 0, slot < Self.capacity else {
            throw CorruptState(key: key, reason: "bad slot")
        }
        let (number, id, _) = try Self.decode(bytes, key: key)
        guard number >= 0, number % Self.capacity == slot else { throw CorruptState(key: key, reason: "number \(number) is not of this slot") }
        remember(id: id, number: number)
    }

    static func encode(number: Int, id: String, resolved: Resolved) -> [UInt8] {
        var w = StateWriter()
        w.int(number)
        w.string(id)
        w.int(resolved.count)
        for entity in resolved {
            w.string(entity.name)
            w.string(entity.type)
            w.int(entity.documents)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], key: String) throws -> (number: Int, id: String, resolved: Resolved) {
        var r = StateReader(bytes, key: key)
        let number = try r.int()
        let id = try r.string()
        var resolved: Resolved = []
        for _ in 0..<(try r.count(elementSize: 24)) {
            let name = try r.string()
            let type = try r.string()
            resolved.append((name, type, try r.int()))
        }
        guard r.isAtEnd else { throw CorruptState(key: key, reason: "trailing bytes") }
        return (number, id, resolved)
    }
}
