import CSQLite
import SeedwatchCore

/// A SQLite connection used from many tasks: every call runs under one lock, so statements
/// never interleave. Calls are short (single-row reads and writes), so the lock is never held long.
public final class SQLiteDatabase: Sendable {
    /// The connection and its prepared statements, only ever touched under the lock.
    fileprivate struct Connection {
        var db: OpaquePointer?
        /// Statements by their SQL text, prepared once and reset after each use: preparing every
        /// statement anew (parsing, planning) was ~6% of the daemon's CPU, inside the entity
        /// registry's arrival-order turn. The daemon uses a fixed set of statements; the bound
        /// only guards against a caller building SQL text per call.
        var statements: [String: OpaquePointer] = [:]
        static let statementLimit = 64
    }
    private let handle: Locked<Connection>
    public let path: String

    public init(path: String) throws(StateError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw .open(path: path, message: message)
        }
        sqlite3_busy_timeout(db, 5000)
        self.handle = Locked(Connection(db: db))
        self.path = path
    }

    deinit {
        handle.withLock { connection in
            for statement in connection.statements.values { sqlite3_finalize(statement) }
            connection.statements = [:]
            sqlite3_close(connection.db)
            connection.db = nil
        }
    }

    /// Runs statements that return no rows.
    public func execute(_ sql: String) throws(StateError) {
        let result: StateError? = handle.withLock { connection in
            let db = connection.db
            var message: UnsafeMutablePointer<CChar>?
            guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
                let text = message.map { String(cString: $0) } ?? "unknown error"
                sqlite3_free(message)
                return .statement(sql: sql, message: text)
            }
            return nil
        }
        if let result { throw result }
    }

    /// Runs one statement with bound values and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLiteValue] = []) throws(StateError) -> [[SQLiteValue]] {
        let outcome: Result<[[SQLiteValue]], StateError> = handle.withLock { connection in
            connection.run(sql, values)
        }
        return try outcome.get()
    }

    /// Runs several statements in one transaction: all or nothing.
    public func transaction(_ statements: [(String, [SQLiteValue])]) throws(StateError) {
        let outcome: Result<Void, StateError> = handle.withLock { connection in
            if case let .failure(error) = connection.run("BEGIN IMMEDIATE", []) { return .failure(error) }
            for (sql, values) in statements {
                if case let .failure(error) = connection.run(sql, values) {
                    _ = connection.run("ROLLBACK", [])
                    return .failure(error)
                }
            }
            if case let .failure(error) = connection.run("COMMIT", []) {
                _ = connection.run("ROLLBACK", [])
                return .failure(error)
            }
            return .success(())
        }
        try outcome.get()
    }

}

extension SQLiteDatabase.Connection {
    /// The prepared statement for `sql`, from the cache or prepared now (and cached while there
    /// is room); `cached` tells whether it stays in the cache after this use.
    private mutating func statement(for sql: String) -> Result<(statement: OpaquePointer, cached: Bool), StateError> {
        if let cached = statements[sql] { return .success((cached, true)) }
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            return .failure(.statement(sql: sql, message: String(cString: sqlite3_errmsg(db))))
        }
        guard statements.count < Self.statementLimit else { return .success((prepared, false)) }
        statements[sql] = prepared
        return .success((prepared, true))
    }

    mutating func run(_ sql: String, _ values: [SQLiteValue]) -> Result<[[SQLiteValue]], StateError> {
        let statement: OpaquePointer, cached: Bool
        switch self.statement(for: sql) {
        case let .failure(error): return .failure(error)
        case let .success(prepared): (statement, cached) = prepared
        }
        defer {
            // Ready for the next use, with no values left bound (text and blobs are copies).
            if cached {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            } else {
                sqlite3_finalize(statement)
            }
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case let .integer(v): sqlite3_bind_int64(statement, index, v)
            case let .real(v): sqlite3_bind_double(statement, index, v)
            case let .text(v): sqlite3_bind_text(statement, index, v, -1, seedwatch_sqlite_transient())
            case let .blob(v):
                v.withUnsafeBytes { raw in
                    _ = sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), seedwatch_sqlite_transient())
                }
            }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                return .failure(.statement(sql: sql, message: String(cString: sqlite3_errmsg(db))))
            }
            let columns = sqlite3_column_count(statement)
            rows.append((0..<columns).map { Self.column($0, of: statement) })
        }
        return .success(rows)
    }

    private static func column(_ index: Int32, of statement: OpaquePointer?) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, index) else { return .text("") }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}

public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var text: String? {
        if case let .text(value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        if case let .integer(value) = self { return value }
        return nil
    }

    public var blob: [UInt8]? {
        switch self {
        case let .blob(value): value
        case let .text(value): Array(value.utf8)
        default: nil
        }
    }
}

/// A state-database failure, with the statement or path involved.
public enum StateError: Error, Sendable, CustomStringConvertible {
    case open(path: String, message: String)
    case statement(sql: String, message: String)

    public var description: String {
        switch self {
        case let .open(path, message): "cannot open state database \(path): \(message)"
        case let .statement(sql, message): "state database error: \(message) (in: \(sql.prefix(80)))"
        }
    }
}
