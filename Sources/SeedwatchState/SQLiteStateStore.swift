import SeedwatchCore

/// Processor state in the state database, table `processor_state`.
public struct SQLiteStateStore: ProcessorStateStore {
    public let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func load(namespace: String, key: String) throws -> [UInt8]? {
        try database.query("SELECT value FROM processor_state WHERE namespace = ? AND key = ?", [.text(namespace), .text(key)])
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
        try database.query(Self.upsert, [.text(namespace), .text(key), .blob(value)])
    }

    /// One transaction for all the changes: a document's state is written together, and with one
    /// commit instead of one per key. Each change is one row through a prepared statement, in
    /// order, so a key saved twice keeps the later value.
    public func apply(namespace: String, _ changes: [ProcessorStateChange]) throws {
        guard !changes.isEmpty else { return }
        try database.transaction(changes.map { change in
            switch change {
            case let .save(key, value): (Self.upsert, [.text(namespace), .text(key), .blob(value)])
            case let .remove(key): (Self.delete, [.text(namespace), .text(key)])
            }
        })
    }

    static let upsert = "INSERT INTO processor_state(namespace, key, value) VALUES(?, ?, ?) ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value"
    static let delete = "DELETE FROM processor_state WHERE namespace = ? AND key = ?"

    public func remove(namespace: String, key: String) throws {
        try database.query(Self.delete, [.text(namespace), .text(key)])
    }

    public func keys(namespace: String) throws -> [String] {
        try database.query("SELECT key FROM processor_state WHERE namespace = ? ORDER BY key", [.text(namespace)])
            .compactMap { $0.first?.text }
    }
}
