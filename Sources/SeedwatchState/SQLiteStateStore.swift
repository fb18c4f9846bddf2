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

    /// Through the primary key (namespace, key), in chunks that stay well under SQLite's limit on
    /// bound parameters.
    public func load(namespace: String, keys: [String]) throws -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        let distinct = Array(Set(keys))
        for start in stride(from: 0, to: distinct.count, by: 500) {
            let chunk = distinct[start..<min(start + 500, distinct.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let rows = try database.query(
                "SELECT key, value FROM processor_state WHERE namespace = ? AND key IN (\(marks))",
                [.text(namespace)] + chunk.map { .text($0) }
            )
            for row in rows where row.count == 2 {
                if let key = row[0].text, let value = row[1].blob { values[key] = value }
            }
        }
        return values
    }

    public func save(namespace: String, key: String, value: [UInt8]) throws {
        try database.query(
            "INSERT INTO processor_state(namespace, key, value) VALUES(?, ?, ?) ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value",
            [.text(namespace), .text(key), .blob(value)]
        )
    }

    /// One transaction for all the changes: a document's state is written together, and with one
    /// commit instead of one per key. Consecutive saves go in one multi-row statement (a statement
    /// is parsed per call, and a document can save dozens of keys); SQLite applies the rows in
    /// order, so a key saved twice keeps the later value, as with separate statements.
    public func apply(namespace: String, _ changes: [ProcessorStateChange]) throws {
        guard !changes.isEmpty else { return }
        var statements: [(String, [SQLiteValue])] = []
        var rows: [SQLiteValue] = []
        func flush() {
            guard !rows.isEmpty else { return }
            let marks = Array(repeating: "(?, ?, ?)", count: rows.count / 3).joined(separator: ", ")
            statements.append((
                "INSERT INTO processor_state(namespace, key, value) VALUES \(marks) ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value",
                rows
            ))
            rows.removeAll()
        }
        for change in changes {
            switch change {
            case let .save(key, value):
                rows += [.text(namespace), .text(key), .blob(value)]
                if rows.count >= 3 * Self.rowsPerStatement { flush() }
            case let .remove(key):
                flush()
                statements.append(("DELETE FROM processor_state WHERE namespace = ? AND key = ?", [.text(namespace), .text(key)]))
            }
        }
        flush()
        try database.transaction(statements)
    }

    /// Well under SQLite's limit on bound parameters (32,766 since 3.32).
    static let rowsPerStatement = 300

    public func remove(namespace: String, key: String) throws {
        try database.query("DELETE FROM processor_state WHERE namespace = ? AND key = ?", [.text(namespace), .text(key)])
    }

    public func keys(namespace: String) throws -> [String] {
        try database.query("SELECT key FROM processor_state WHERE namespace = ? ORDER BY key", [.text(namespace)])
            .compactMap { $0.first?.text }
    }
}
