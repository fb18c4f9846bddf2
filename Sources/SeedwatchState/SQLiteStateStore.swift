import SeedwatchCore

/// Processor state in the state database, table `processor_state`.
///
/// Writes go through the group commit (`GroupCommit`), shared with the ledger: reads see queued
/// changes before the table's rows.
public struct SQLiteStateStore: ProcessorStateStore {
    public let database: SQLiteDatabase
    public let commits: GroupCommit

    public init(database: SQLiteDatabase, commits: GroupCommit? = nil) {
        self.database = database
        self.commits = commits ?? GroupCommit(writer: database)
    }

    public var generation: UInt64 { commits.generation }

    public func enqueue(namespace: String, _ changes: [ProcessorStateChange], generation: UInt64) -> StateCommit {
        commits.enqueue(namespace: namespace, changes, generation: generation)
    }

    public func load(namespace: String, key: String) throws -> [UInt8]? {
        if let change = commits.pending(namespace: namespace, key: key) {
            if case let .save(_, value) = change { return value }
            return nil
        }
        return try database.query("SELECT value FROM processor_state WHERE namespace = ? AND key = ?", [.text(namespace), .text(key)])
            .first?.first?.blob
    }

    /// One primary-key look-up per key, through the same prepared statement (a statement with
    /// an `IN` list of each length would be parsed anew per call).
    public func load(namespace: String, keys: [String]) throws -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        for key in Set(keys) {
            if let value = try load(namespace: namespace, key: key) { values[key] = value }
        }
        return values
    }

    public func save(namespace: String, key: String, value: [UInt8]) throws {
        try apply(namespace: namespace, [.save(key: key, value: value)])
    }

    /// One transaction for all the changes (with whatever else is queued): a document's state is
    /// written together, and with one commit instead of one per key. Later changes of a key win.
    public func apply(namespace: String, _ changes: [ProcessorStateChange]) throws {
        guard !changes.isEmpty else { return }
        try commits.applyNow(namespace: namespace, changes)
    }

    static let upsert = "INSERT INTO processor_state(namespace, key, value) VALUES(?, ?, ?) ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value"
    static let delete = "DELETE FROM processor_state WHERE namespace = ? AND key = ?"

    public func remove(namespace: String, key: String) throws {
        try apply(namespace: namespace, [.remove(key: key)])
    }

    public func keys(namespace: String) throws -> [String] {
        let pending = commits.pending(namespace: namespace)
        var keys = Set(try database.query("SELECT key FROM processor_state WHERE namespace = ? ORDER BY key", [.text(namespace)])
            .compactMap { $0.first?.text })
        for (key, change) in pending {
            if case .save = change { keys.insert(key) } else { keys.remove(key) }
        }
        return keys.sorted()
    }
}
