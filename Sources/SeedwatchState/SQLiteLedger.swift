import FoundationEssentials
import SeedwatchCore

/// The daemon's ledger of files (`FileLedger`), table `files` of the state database.
public final class SQLiteLedger: FileLedger {
    public static let fileName = "seedwatch.sqlite"
    /// The connection's page cache, in KiB (`PRAGMA cache_size` takes it negated).
    public static let pageCacheKiB = 512
    /// The page size of a new database, in bytes.
    public static let pageSize = 1024
    /// WAL bytes between automatic checkpoints.
    static let walCheckpointBytes = 4 << 20
    public let database: SQLiteDatabase
    /// Shared with the state store (`StateDatabase`), so ledger rows and processor state of
    /// several documents go into one transaction.
    public let commits: GroupCommit

    /// Opens (creating if needed) `seedwatch.sqlite` in the state folder.
    public convenience init(stateDirectory: String) throws(StateError) {
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw .open(path: stateDirectory, message: "cannot create the folder: \(SystemError.describe(error))")
        }
        try self.init(database: SQLiteDatabase(path: stateDirectory + "/" + Self.fileName))
    }

    public init(database: SQLiteDatabase, commits: GroupCommit? = nil) throws(StateError) {
        self.database = database
        self.commits = commits ?? GroupCommit(writer: database)
        // WAL: readers never block the writer. synchronous=NORMAL: a commit survives a crash of
        // the process; after a power loss the last commits may be redone, which is safe because
        // results are written before the ledger and rewriting one is idempotent.
        // cache_size: 512 KiB of pages instead of SQLite's 2 MiB, held for good once a burst has
        // filled it; a page beyond it is read back from the kernel's page cache.
        // page_size: a commit writes every page it touches whole, and a document touches ~15
        // pages at scattered places (the index entries of its ledger and dashboard rows, its
        // recent/<slot> rows): 1 KiB pages write a quarter of the bytes 4 KiB ones did. Takes
        // effect only on a new database; one made before keeps its page size.
        // wal_autocheckpoint (below, from the page size the file has): 4 MiB of WAL between
        // checkpoints, as SQLite's default of 1,000 pages gave with 4 KiB pages; 1,000 pages of
        // 1 KiB would checkpoint, and fsync, four times as often.
        try database.execute("""
            PRAGMA page_size=\(Self.pageSize);
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            PRAGMA cache_size=-\(Self.pageCacheKiB);
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
        let pageBytes = try database.query("PRAGMA page_size").first?.first?.integer ?? Int64(Self.pageSize)
        try database.execute("PRAGMA wal_autocheckpoint=\(max(1, Int64(Self.walCheckpointBytes) / max(1, pageBytes)));")
    }

    public func entry(path: String) throws -> LedgerEntry? {
        try database.query("SELECT \(LedgerEntry.columns) FROM files WHERE path = ?", [.text(path)]).first.flatMap(LedgerEntry.init(row:))
    }

    public func processed(sha256: String, excluding path: String) throws -> LedgerEntry? {
        try database.query(
            "SELECT \(LedgerEntry.columns) FROM files WHERE sha256 = ? AND status = 'processed' AND path <> ? ORDER BY updated_at, path LIMIT 1",
            [.text(sha256), .text(path)]
        ).first.flatMap(LedgerEntry.init(row:))
    }

    public func duplicates(of path: String, sha256: String) throws -> [LedgerEntry] {
        try database.query(
            "SELECT \(LedgerEntry.columns) FROM files WHERE sha256 = ? AND status = 'duplicate' AND duplicate_of = ? ORDER BY updated_at, path",
            [.text(sha256), .text(path)]
        ).compactMap(LedgerEntry.init(row:))
    }

    public func record(_ entry: LedgerEntry) throws {
        try database.query(Self.upsert, entry.values)
    }

    /// Into the next group commit, with the processors' state of the documents queued meanwhile.
    public func recordGrouped(_ entry: LedgerEntry) async throws {
        try await commits.enqueue(entry).wait()
    }

    static let upsert = """
        INSERT INTO files(path, size, mtime_ns, sha256, status, duplicate_of, result_id, code, updated_at)
        VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
            sha256 = excluded.sha256, status = excluded.status, duplicate_of = excluded.duplicate_of,
            result_id = excluded.result_id, code = excluded.code, updated_at = excluded.updated_at
        """

    /// Every row, by path: what `seedwatch migrate-state` copies.
    public func allEntries() throws -> [LedgerEntry] {
        try database.query("SELECT \(LedgerEntry.columns) FROM files ORDER BY path").compactMap(LedgerEntry.init(row:))
    }

    public func forget(path: String) throws {
        _ = try database.query("DELETE FROM files WHERE path = ?", [.text(path)])
    }

    public func counts() throws -> [LedgerStatus: Int] {
        var counts: [LedgerStatus: Int] = [:]
        for row in try database.query("SELECT status, COUNT(*) FROM files GROUP BY status") {
            if let name = row.first?.text, let status = LedgerStatus(rawValue: name), let count = row.last?.integer {
                counts[status] = Int(count)
            }
        }
        return counts
    }
}

extension LedgerEntry {
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
