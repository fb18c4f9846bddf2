/// The tracker's state between two checkpoints: what changed since the last one, and the documents
/// observed since, logged so a restart (after a crash too) replays them and reaches the same state.
///
/// Each document writes one small row, `log/<sequence>` (its observation: what the tracker was given,
/// not what it changed), instead of rewriting the stories, themes and `meta` it touched; every
/// `checkpoint_docs` documents the changed keys are written once, with the online counts that changed
/// (`dfd/<sequence>`), and the rows logged since are deleted, in one transaction. A restart loads the
/// last checkpoint and observes the logged documents again: the tracker is deterministic, so it
/// reaches the state it had, term counts included (before, counts since the last checkpoint were lost).
struct TopicPendingChanges: Sendable {
    var stories = Set<Int>()
    var themes = Set<Int>()
    var runs = Set<Int>()
    var splitSnapshot = false
    var duplicateSlots = Set<Int>()
    /// Sequence numbers of the documents logged since the last checkpoint.
    var logged: [Int] = []

    mutating func merge(_ changes: TopicChanges) {
        stories.formUnion(changes.stories)
        stories.formUnion(changes.evictedStories)
        themes.formUnion(changes.themes)
        themes.formUnion(changes.evictedThemes)
        runs.formUnion(changes.runs)
        if changes.splitSnapshot { splitSnapshot = true }
        if let slot = changes.duplicateSlot { duplicateSlots.insert(slot) }
    }
}

enum TopicStateLog {
    static let logPrefix = "log/"
    static let countsDeltaPrefix = "dfd/"
    /// Count deltas kept before the counts are written whole again (and the deltas deleted).
    static let maxCountDeltas = 16

    /// Zero-padded, so the store's ascending key order is the sequence order.
    static func key(_ prefix: String, _ sequence: Int) -> String {
        let digits = String(sequence)
        return prefix + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func sequence(of key: String, prefix: String) -> Int? {
        guard key.hasPrefix(prefix) else { return nil }
        return Int(key.dropFirst(prefix.count))
    }

    static let observationFormat = 1

    static func encode(_ observation: TopicObservation) -> [UInt8] {
        var w = StateWriter()
        w.int(observationFormat)
        w.string(observation.id)
        w.string(observation.path)
        w.int(observation.title == nil ? 0 : 1)
        if let title = observation.title { w.string(title) }
        w.string(observation.text)
        w.int(observation.entities.count)
        for entity in observation.entities { w.string(entity) }
        return w.bytes
    }

    static func decodeObservation(_ bytes: [UInt8], key: String) throws -> TopicObservation {
        var r = StateReader(bytes, key: key)
        guard try r.int() == observationFormat else { throw CorruptState(key: key, reason: "unknown format version") }
        let id = try r.string()
        let path = try r.string()
        let title = try r.int() != 0 ? try r.string() : nil
        let text = try r.string()
        var entities: [String] = []
        for _ in 0..<(try r.count(elementSize: 8)) { entities.append(try r.string()) }
        guard r.isAtEnd else { throw CorruptState(key: key, reason: "trailing bytes") }
        return TopicObservation(id: id, path: path, title: title, text: text, entities: entities)
    }
}
