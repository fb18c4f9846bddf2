import FoundationEssentials
import SeedwatchCore

/// The dashboard's index (`DocumentIndex`) in the state database: tables `dashboard_documents`
/// (one small row per current result, no result body: the outbox has those) and `dashboard_alerts` (one row per
/// alert). Every query the dashboard makes is answered from an index: by sequence, by time, by topic.
///
/// With the ledger's group commit (`commits`), the pipeline's writes (`enqueue`) go into the
/// transaction of the document's ledger row; a read first writes what is queued, so it sees them.
public struct SQLiteDocumentIndex: DocumentIndex {
    public let database: SQLiteDatabase
    public let commits: GroupCommit?

    public init(database: SQLiteDatabase, commits: GroupCommit? = nil) throws(StateError) {
        self.database = database
        self.commits = commits
        // AUTOINCREMENT: a sequence is never reused, so a paging cursor never skips a newer row.
        try database.execute("""
            CREATE TABLE IF NOT EXISTS dashboard_documents(
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                path TEXT NOT NULL,
                title TEXT,
                topic TEXT,
                topic_label TEXT,
                alerts TEXT NOT NULL,
                time_ms INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS dashboard_documents_by_time ON dashboard_documents(time_ms);
            CREATE INDEX IF NOT EXISTS dashboard_documents_by_topic ON dashboard_documents(topic, time_ms);
            CREATE TABLE IF NOT EXISTS dashboard_alerts(
                sequence INTEGER PRIMARY KEY,
                class TEXT NOT NULL,
                topic TEXT NOT NULL,
                topic_label TEXT NOT NULL,
                document_id TEXT NOT NULL,
                document_path TEXT NOT NULL,
                time_ms INTEGER NOT NULL
            );
            """)
    }

    private static let documentColumns = "sequence, id, path, title, topic, topic_label, alerts, time_ms"

    public func record(_ document: IndexedDocument) throws {
        try write([.record(document)])
    }

    public func remove(id: String) throws {
        try write([.remove(id: id)])
    }

    public func record(_ alert: IndexedAlert) throws {
        try write([.alert(alert)])
    }

    public func enqueue(_ changes: [DocumentIndexChange], failed: @escaping @Sendable (any Error) -> Void) {
        guard let commits else {
            do { try write(changes) } catch { failed(error) }
            return
        }
        commits.enqueue(changes, failed: failed)
    }

    /// At once, after whatever is queued (so the index's order stays the order of the calls).
    private func write(_ changes: [DocumentIndexChange]) throws {
        commits?.flush()
        for change in changes {
            guard let (sql, values) = Self.statement(change) else { continue }
            try database.query(sql, values)
        }
    }

    /// The statement that makes one change; the group commit's batch runs the same ones. Nil for
    /// a result's bytes: a single daemon reads its results from its outbox (`storesResults` is false).
    static func statement(_ change: DocumentIndexChange) -> (String, [SQLiteValue])? {
        switch change {
        case let .record(document):
            // REPLACE deletes the row with the same id and inserts a new one, in one statement: a
            // document processed again gets a new sequence and becomes the newest.
            ("INSERT OR REPLACE INTO dashboard_documents(id, path, title, topic, topic_label, alerts, time_ms) VALUES(?, ?, ?, ?, ?, ?, ?)",
             [.text(document.id), .text(document.path), optional(document.title), optional(document.topic),
              optional(document.topicLabel), .text(document.alerts.joined(separator: ",")), .integer(milliseconds(document.time))])
        case let .remove(id):
            ("DELETE FROM dashboard_documents WHERE id = ?", [.text(id)])
        case let .alert(alert):
            ("INSERT INTO dashboard_alerts(class, topic, topic_label, document_id, document_path, time_ms) VALUES(?, ?, ?, ?, ?, ?)",
             [.text(alert.alertClass), .text(alert.topic), .text(alert.topicLabel), .text(alert.documentID), .text(alert.documentPath),
              .integer(milliseconds(alert.time))])
        case .result:
            nil
        }
    }

    public func documents(limit: Int, before: Int64?) throws -> [IndexedDocument] {
        commits?.flush()
        return try database.query(
            "SELECT \(Self.documentColumns) FROM dashboard_documents WHERE sequence < ? ORDER BY sequence DESC LIMIT ?",
            [.integer(before ?? Int64.max), .integer(Int64(max(0, limit)))]
        ).compactMap(Self.document(row:))
    }

    public func documents(since: Date, limit: Int) throws -> [IndexedDocument] {
        commits?.flush()
        return try database.query(
            "SELECT \(Self.documentColumns) FROM dashboard_documents WHERE time_ms >= ? ORDER BY time_ms, sequence LIMIT ?",
            [.integer(Self.milliseconds(since)), .integer(Int64(max(0, limit)))]
        ).compactMap(Self.document(row:))
    }

    public func alerts(limit: Int) throws -> [IndexedAlert] {
        commits?.flush()
        return try database.query(
            "SELECT class, topic, topic_label, document_id, document_path, time_ms FROM dashboard_alerts ORDER BY sequence DESC LIMIT ?",
            [.integer(Int64(max(0, limit)))]
        ).compactMap { row in
            guard row.count == 6, let name = row[0].text, let topic = row[1].text, let label = row[2].text, let id = row[3].text,
                  let path = row[4].text, let time = row[5].integer else { return nil }
            return IndexedAlert(alertClass: name, topic: topic, topicLabel: label, documentID: id, documentPath: path, time: Self.date(time))
        }
    }

    public func topics() throws -> [TopicSummary] {
        commits?.flush()
        // The label of each topic's latest document, through the (topic, time_ms) index.
        return try database.query("""
            SELECT topic, MIN(time_ms), MAX(time_ms), COUNT(*),
                (SELECT topic_label FROM dashboard_documents AS latest WHERE latest.topic = d.topic ORDER BY time_ms DESC, sequence DESC LIMIT 1)
            FROM dashboard_documents AS d WHERE topic IS NOT NULL GROUP BY topic ORDER BY MAX(time_ms) DESC, topic DESC
            """).compactMap { row in
            guard row.count == 5, let topic = row[0].text, let first = row[1].integer, let last = row[2].integer, let count = row[3].integer else { return nil }
            return TopicSummary(topic: topic, label: row[4].text ?? "", firstSeen: Self.date(first), lastSeen: Self.date(last), documents: Int(count))
        }
    }

    public func perMinute(since: Date) throws -> [MinuteCount] {
        commits?.flush()
        return try database.query(
            "SELECT time_ms / 60000, COUNT(*) FROM dashboard_documents WHERE time_ms >= ? GROUP BY 1 ORDER BY 1", [.integer(Self.milliseconds(since))]
        ).compactMap { row in
            guard row.count == 2, let minute = row[0].integer, let count = row[1].integer else { return nil }
            return MinuteCount(minute: Self.date(minute * 60_000), documents: Int(count))
        }
    }

    private static func document(row: [SQLiteValue]) -> IndexedDocument? {
        guard row.count == 8, let sequence = row[0].integer, let id = row[1].text, let path = row[2].text, let alerts = row[6].text,
              let time = row[7].integer else { return nil }
        return IndexedDocument(
            id: id, path: path, title: row[3].text, topic: row[4].text, topicLabel: row[5].text,
            alerts: alerts.split(separator: ",").map(String.init), time: date(time), sequence: sequence
        )
    }

    private static func optional(_ text: String?) -> SQLiteValue { text.map(SQLiteValue.text) ?? .null }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
