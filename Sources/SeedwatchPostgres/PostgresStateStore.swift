import SeedwatchCore

/// Processor state in PostgreSQL, table `processor_state`.
public struct PostgresStateStore: ProcessorStateStore {
    public let session: PostgresSession

    public init(session: PostgresSession) {
        self.session = session
    }

    static let upsert = "INSERT INTO processor_state(namespace, key, value) VALUES($1, $2, $3) ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value"
    static let delete = "DELETE FROM processor_state WHERE namespace = $1 AND key = $2"

    public func load(namespace: String, key: String) throws -> [UInt8]? {
        try session.query("SELECT value FROM processor_state WHERE namespace = $1 AND key = $2", [.text(namespace), .text(key)])
            .first?.first?.bytes
    }

    /// One round trip for all the keys (`= ANY` of a text array would need an array bind; a
    /// VALUES list of each length is as cheap to plan as it is small).
    public func load(namespace: String, keys: [String]) throws -> [String: [UInt8]] {
        let unique = Array(Set(keys))
        guard !unique.isEmpty else { return [:] }
        let placeholders = unique.indices.map { "$\($0 + 2)" }.joined(separator: ", ")
        var values: [String: [UInt8]] = [:]
        for row in try session.query(
            "SELECT key, value FROM processor_state WHERE namespace = $1 AND key IN (\(placeholders))", [.text(namespace)] + unique.map(PostgresValue.text)
        ) {
            if row.count == 2, let key = row[0].text, let value = row[1].bytes { values[key] = value }
        }
        return values
    }

    public func save(namespace: String, key: String, value: [UInt8]) throws {
        try session.write(Self.upsert, [.text(namespace), .text(key), .bytes(value)])
    }

    public func remove(namespace: String, key: String) throws {
        try session.write(Self.delete, [.text(namespace), .text(key)])
    }

    public func keys(namespace: String) throws -> [String] {
        try session.query("SELECT key FROM processor_state WHERE namespace = $1 ORDER BY key", [.text(namespace)]).compactMap { $0.first?.text }
    }

    /// Changes when this node's leadership does, and when a write failed: the processors then reload their state.
    public var generation: UInt64 { session.fenceGeneration }

    /// Written at once (no group commit here yet); refused when computed under another term.
    public func enqueue(namespace: String, _ changes: [ProcessorStateChange], generation: UInt64) -> StateCommit {
        guard generation == self.generation else {
            return .failed(PostgresStateError.fenced(node: "this node", term: nil))
        }
        do {
            try apply(namespace: namespace, changes)
            return .done
        } catch {
            // The processor's memory holds these changes; the database may not (as a failed group commit on SQLite).
            session.stateWriteFailed()
            return .failed(error)
        }
    }

    /// One transaction for all the changes, in order, so a key saved twice keeps the later value.
    public func apply(namespace: String, _ changes: [ProcessorStateChange]) throws {
        guard !changes.isEmpty else { return }
        try session.transaction(changes.map { change in
            switch change {
            case let .save(key, value): (Self.upsert, [.text(namespace), .text(key), .bytes(value)])
            case let .remove(key): (Self.delete, [.text(namespace), .text(key)])
            }
        })
    }
}
