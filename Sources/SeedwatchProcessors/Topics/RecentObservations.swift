/// The results of the last documents the tracker observed, kept in its state (`recent/<slot>`,
/// written in the same transaction as the document's other changes).
///
/// A kill -9 after the tracker stored a document but before the daemon recorded it in its
/// ledger makes the daemon process that document again. Observed a second time, it would be a
/// near-duplicate of itself: its alerts lost, its story counted twice. Instead the tracker hands
/// back the result it gave the first time, alerts included, and changes nothing, so the stream
/// after the kill is decided as if there had been none (docs/RELIABILITY.md, "Alerts").
struct RecentObservations {
    /// At least the documents that can be between the tracker and the ledger at once: the
    /// largest `pipeline.max_in_flight`.
    static let capacity = 1024
    static let keyPrefix = "recent/"

    private var slots: [Int: (id: String, result: TopicsResult)] = [:]
    private var slotOfID: [String: Int] = [:]

    func result(for id: String) -> TopicsResult? {
        slotOfID[id].flatMap { slots[$0]?.result }
    }

    /// The slot of the document with tracker sequence `sequence`.
    static func slot(of sequence: Int) -> Int { sequence % capacity }

    static func key(_ slot: Int) -> String { keyPrefix + String(slot) }

    mutating func insert(id: String, result: TopicsResult, slot: Int) {
        if let replaced = slots[slot]?.id, slotOfID[replaced] == slot { slotOfID.removeValue(forKey: replaced) }
        slots[slot] = (id, result)
        slotOfID[id] = slot
    }

    /// Restores one stored slot.
    mutating func restore(key: String, bytes: [UInt8]) throws {
        guard let slot = Int(key.dropFirst(Self.keyPrefix.count)), slot >= 0, slot < Self.capacity else {
            throw CorruptState(key: key, reason: "bad slot")
        }
        var r = StateReader(bytes, key: key)
        let id = try r.string()
        insert(id: id, result: try Self.decodeResult(&r), slot: slot)
    }

    static func encode(id: String, result: TopicsResult) -> [UInt8] {
        var w = StateWriter()
        w.string(id)
        w.string(result.topic)
        w.string(result.label)
        w.uint64(result.similarity.bitPattern)
        optional(result.theme, into: &w)
        w.int(result.alerts.count)
        for alert in result.alerts {
            w.string(alert.alertClass.rawValue)
            w.string(alert.topicID)
            w.string(alert.topicLabel)
            optional(alert.previousTopicID, into: &w)
            w.uint64(alert.similarity.bitPattern)
            w.string(alert.documentID)
            w.string(alert.documentPath)
        }
        optional(result.nearDuplicateOf, into: &w)
        // Last, so rows written before it was kept still decode (with no sequence).
        w.int(result.sequence ?? -1)
        return w.bytes
    }

    private static func decodeResult(_ r: inout StateReader) throws -> TopicsResult {
        let topic = try r.string()
        let label = try r.string()
        let similarity = Double(bitPattern: try r.uint64())
        let theme = try optional(&r)
        var alerts: [TopicAlert] = []
        for _ in 0..<(try r.count(elementSize: 1)) {
            let name = try r.string()
            guard let alertClass = TopicAlertClass(rawValue: name) else { throw CorruptState(key: r.key, reason: "unknown alert class") }
            alerts.append(TopicAlert(
                alertClass: alertClass, topicID: try r.string(), topicLabel: try r.string(), previousTopicID: try optional(&r),
                similarity: Double(bitPattern: try r.uint64()), documentID: try r.string(), documentPath: try r.string()
            ))
        }
        let nearDuplicateOf = try optional(&r)
        let sequence = r.isAtEnd ? -1 : try r.int()
        return TopicsResult(
            topic: topic, label: label, similarity: similarity, theme: theme, alerts: alerts, nearDuplicateOf: nearDuplicateOf,
            sequence: sequence >= 0 ? sequence : nil
        )
    }

    private static func optional(_ value: String?, into w: inout StateWriter) {
        w.int(value == nil ? 0 : 1)
        if let value { w.string(value) }
    }

    private static func optional(_ r: inout StateReader) throws -> String? {
        try r.int() == 0 ? nil : try r.string()
    }
}
