import FoundationEssentials
import SeedwatchCore

/// The record of every file the daemon has dealt with, so a restart reprocesses nothing
/// unchanged and the same content under a second name is recognised.
public final class Ledger: Sendable {
    public static let fileName = "seedwatch.sqlite"
    public let database: SQLiteDatabase

    /// Opens (creating if needed) `seedwatch.sqlite` in the state folder.
    public convenience init(stateDirectory: String) throws(StateError) {
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw .open(path: stateDirectory, message: "cannot create the folder: \(FileErrors.describe(error))")
        }
        try self.init(database: SQLiteDatabase(path: stateDirectory + "/" + Self.fileName))
    }

    public init(database: SQLiteDatabase) throws(StateError) {
        self.database = database
        // WAL: readers never block the writer. synchronous=NORMAL: a commit survives a crash of
        // the process; after a power loss the last commits may be redone, which is safe because
        // results are written before the ledger and rewriting one is idempotent.
        try database.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS files(
                path TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                status TEXT NOT NULL,
                duplicate_of TEXT,
                result_id TEXT,
                code TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS files_by_sha256 ON files(sha256, status);
            CREATE TABLE IF NOT EXISTS processor_state(
                namespace TEXT NOT NULL,
                key TEXT NOT NULL,
                value BLOB NOT NULL,
                PRIMARY KEY(namespace, key)
            );
            """)
    }

    public func entry(path: String) throws(StateError) -> LedgerEntry? {
        try database.query("SELECT \(LedgerEntry.columns) FROM files WHERE path = ?", [.text(path)]).first.flatMap(LedgerEntry.init(row:))
    }

    /// The first file processed with this content, other than `path`.
    public func processed(sha256: String, excluding path: String) throws(StateError) -> LedgerEntry? {
        try database.query(
            "SELECT \(LedgerEntry.columns) FROM files WHERE sha256 = ? AND status = 'processed' AND path <> ? ORDER BY updated_at LIMIT 1",
            [.text(sha256), .text(path)]
        ).first.flatMap(LedgerEntry.init(row:))
    }

    public func record(_ entry: LedgerEntry) throws(StateError) {
        try database.query(
            """
            INSERT INTO files(path, size, mtime_ns, sha256, status, duplicate_of, result_id, code, updated_at)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                sha256 = excluded.sha256, status = excluded.status, duplicate_of = excluded.duplicate_of,
                result_id = excluded.result_id, code = excluded.code, updated_at = excluded.updated_at
            """,
            entry.values
        )
    }

    public func counts() throws(StateError) -> [LedgerStatus: Int] {
        var counts: [LedgerStatus: Int] = [:]
        for row in try database.query("SELECT status, COUNT(*) FROM files GROUP BY status") {
            if let name = row.first?.text, let status = LedgerStatus(rawValue: name), let count = row.last?.integer {
                counts[status] = Int(count)
            }
        }
        return counts
    }
}

public enum LedgerStatus: String, Sendable, Codable {
    case processed
    case duplicate
    case quarantined
}

public struct LedgerEntry: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modifiedNanoseconds: Int64
    public var sha256: String
    public var status: LedgerStatus
    public var duplicateOf: String?
    public var resultID: String?
    public var code: String?
    public var updatedAt: Date

    public init(
        path: String, size: Int64, modifiedNanoseconds: Int64, sha256: String, status: LedgerStatus,
        duplicateOf: String? = nil, resultID: String? = nil, code: String? = nil, updatedAt: Date = Date()
    ) {
        self.path = path
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.sha256 = sha256
        self.status = status
        self.duplicateOf = duplicateOf
        self.resultID = resultID
        self.code = code
        self.updatedAt = updatedAt
    }

    static let columns = "path, size, mtime_ns, sha256, status, duplicate_of, result_id, code, updated_at"

    init?(row: [SQLiteValue]) {
        guard row.count == 9, let path = row[0].text, let size = row[1].integer, let mtime = row[2].integer,
              let sha = row[3].text, let status = row[4].text.flatMap(LedgerStatus.init(rawValue:)) else { return nil }
        self.init(
            path: path, size: size, modifiedNanoseconds: mtime, sha256: sha, status: status,
            duplicateOf: row[5].text, resultID: row[6].text, code: row[7].text,
            updatedAt: row[8].text.flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0)
        )
    }

    var values: [SQLiteValue] {
        [.text(path), .integer(size), .integer(modifiedNanoseconds), .text(sha256), .text(status.rawValue),
         duplicateOf.map(SQLiteValue.text) ?? .null, resultID.map(SQLiteValue.text) ?? .null,
         code.map(SQLiteValue.text) ?? .null, .text(Timestamp.format(updatedAt))]
    }
}

extension Ledger {
    /// Drops what the ledger knows about `path`, so its next arrival is processed afresh.
    public func forget(path: String) throws(StateError) {
        _ = try database.query("DELETE FROM files WHERE path = ?", [.text(path)])
    }
}
