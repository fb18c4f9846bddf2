import FoundationEssentials
import SeedwatchCore

/// The ledger of files (`FileLedger`) in PostgreSQL, table `files`. Times are kept to the
/// millisecond, as the SQLite ledger keeps them.
public struct PostgresLedger: FileLedger {
    public let session: PostgresSession

    public init(session: PostgresSession) {
        self.session = session
    }

    static let columns = "path, size, mtime_ns, sha256, status, duplicate_of, result_id, code, updated_at_ms"

    public func entry(path: String) throws -> LedgerEntry? {
        try session.query("SELECT \(Self.columns) FROM files WHERE path = $1", [.text(path)]).first.flatMap(Self.entry(row:))
    }

    public func processed(sha256: String, excluding path: String) throws -> LedgerEntry? {
        try session.query(
            "SELECT \(Self.columns) FROM files WHERE sha256 = $1 AND status = 'processed' AND path <> $2 ORDER BY updated_at_ms, path LIMIT 1",
            [.text(sha256), .text(path)]
        ).first.flatMap(Self.entry(row:))
    }

    public func duplicates(of path: String, sha256: String) throws -> [LedgerEntry] {
        try session.query(
            "SELECT \(Self.columns) FROM files WHERE sha256 = $1 AND status = 'duplicate' AND duplicate_of = $2 ORDER BY updated_at_ms, path",
            [.text(sha256), .text(path)]
        ).compactMap(Self.entry(row:))
    }

    public func record(_ entry: LedgerEntry) throws {
        let (sql, values) = Self.recording(entry)
        try session.write(sql, values)
    }

    static func recording(_ entry: LedgerEntry) -> (String, [PostgresValue]) {
        (
            """
            INSERT INTO files(path, size, mtime_ns, sha256, status, duplicate_of, result_id, code, updated_at_ms)
            VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                sha256 = excluded.sha256, status = excluded.status, duplicate_of = excluded.duplicate_of,
                result_id = excluded.result_id, code = excluded.code, updated_at_ms = excluded.updated_at_ms
            """,
            [.text(entry.path), .integer(entry.size), .integer(entry.modifiedNanoseconds), .text(entry.sha256), .text(entry.status.rawValue),
             .optional(entry.duplicateOf), .optional(entry.resultID), .optional(entry.code), .integer(PostgresTime.milliseconds(entry.updatedAt))]
        )
    }

    public func forget(path: String) throws {
        try session.write("DELETE FROM files WHERE path = $1", [.text(path)])
    }

    public func counts() throws -> [LedgerStatus: Int] {
        var counts: [LedgerStatus: Int] = [:]
        for row in try session.query("SELECT status, COUNT(*) FROM files GROUP BY status") {
            if let name = row.first?.text, let status = LedgerStatus(rawValue: name), let count = row.last?.integer {
                counts[status] = Int(count)
            }
        }
        return counts
    }

    static func entry(row: [PostgresValue]) -> LedgerEntry? {
        guard row.count == 9, let path = row[0].text, let size = row[1].integer, let mtime = row[2].integer, let sha = row[3].text,
              let status = row[4].text.flatMap(LedgerStatus.init(rawValue:)), let updated = row[8].integer else { return nil }
        return LedgerEntry(
            path: path, size: size, modifiedNanoseconds: mtime, sha256: sha, status: status, duplicateOf: row[5].text,
            resultID: row[6].text, code: row[7].text, updatedAt: PostgresTime.date(updated)
        )
    }
}

/// Times as whole milliseconds since 1970 (`BIGINT`), rounded down, as the SQLite store keeps them.
enum PostgresTime {
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
