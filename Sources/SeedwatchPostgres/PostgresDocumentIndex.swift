import FoundationEssentials
import SeedwatchCore

/// The dashboard's index (`DocumentIndex`) in PostgreSQL: tables `dashboard_documents` and
/// `dashboard_alerts`, with the same indexes and answers as the SQLite index, and `results`: the
/// bytes of each result, which every node of a cluster can read (`storesResults`).
///
/// The changes of one `enqueue` go in one transaction (fenced in a cluster): a document's row
/// and its result are stored together or not at all.
public struct PostgresDocumentIndex: DocumentIndex {
    public let session: PostgresSession

    public init(session: PostgresSession) {
        self.session = session
    }

    private static let documentColumns = "sequence, id, path, title, topic, topic_label, alerts, time_ms"

    /// A document recorded again takes a new sequence from the same never-reused sequence, so it
    /// becomes the newest and a paging cursor never skips it.
    public func record(_ document: IndexedDocument) throws {
        let (sql, values) = Self.recording(document)
        try session.write(sql, values)
    }

    static func recording(_ document: IndexedDocument) -> (String, [PostgresValue]) {
        (
            """
            INSERT INTO dashboard_documents(id, path, title, topic, topic_label, alerts, time_ms) VALUES($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT(id) DO UPDATE SET sequence = nextval('dashboard_documents_sequence'), path = excluded.path, title = excluded.title,
                topic = excluded.topic, topic_label = excluded.topic_label, alerts = excluded.alerts, time_ms = excluded.time_ms
            """,
            [.text(document.id), .text(document.path), .optional(document.title), .optional(document.topic), .optional(document.topicLabel),
             .text(document.alerts.joined(separator: ",")), .integer(PostgresTime.milliseconds(document.time))]
        )
    }

    public func remove(id: String) throws {
        let (sql, values) = Self.removing(id: id)
        try session.write(sql, values)
    }

    /// The row and the stored result in one statement.
    static func removing(id: String) -> (String, [PostgresValue]) {
        ("WITH dropped AS (DELETE FROM results WHERE id = $1) DELETE FROM dashboard_documents WHERE id = $1", [.text(id)])
    }

    public var storesResults: Bool { true }

    public func store(result: [UInt8], id: String) throws {
        let (sql, values) = Self.storing(result: result, id: id)
        try session.write(sql, values)
    }

    static func storing(result: [UInt8], id: String) -> (String, [PostgresValue]) {
        ("INSERT INTO results(id, body) VALUES($1, $2) ON CONFLICT(id) DO UPDATE SET body = excluded.body", [.text(id), .bytes(result)])
    }

    public func result(id: String) throws -> [UInt8]? {
        try session.query("SELECT body FROM results WHERE id = $1", [.text(id)]).first?.first?.bytes
    }

    /// All of `changes` in one transaction, made at once (PostgreSQL has no group commit yet).
    public func enqueue(_ changes: [DocumentIndexChange], failed: @escaping @Sendable (any Error) -> Void) {
        guard !changes.isEmpty else { return }
        do {
            try session.transaction(changes.map(Self.statement))
        } catch {
            failed(error)
        }
    }

    static func statement(_ change: DocumentIndexChange) -> (String, [PostgresValue]) {
        switch change {
        case let .record(document): recording(document)
        case let .remove(id): removing(id: id)
        case let .alert(alert): recording(alert)
        case let .result(id, bytes): storing(result: bytes, id: id)
        }
    }

    public func record(_ alert: IndexedAlert) throws {
        let (sql, values) = Self.recording(alert)
        try session.write(sql, values)
    }

    static func recording(_ alert: IndexedAlert) -> (String, [PostgresValue]) {
        (
            "INSERT INTO dashboard_alerts(class, topic, topic_label, document_id, document_path, time_ms) VALUES($1, $2, $3, $4, $5, $6)",
            [.text(alert.alertClass), .text(alert.topic), .text(alert.topicLabel), .text(alert.documentID), .text(alert.documentPath),
             .integer(PostgresTime.milliseconds(alert.time))]
        )
    }

    public func documents(limit: Int, before: Int64?) throws -> [IndexedDocument] {
        try session.query(
            "SELECT \(Self.documentColumns) FROM dashboard_documents WHERE sequence < $1 ORDER BY sequence DESC LIMIT $2",
            [.integer(before ?? Int64.max), .integer(Int64(max(0, limit)))]
        ).compactMap(Self.document(row:))
    }

    public func documents(since: Date, limit: Int) throws -> [IndexedDocument] {
        try session.query(
            "SELECT \(Self.documentColumns) FROM dashboard_documents WHERE time_ms >= $1 ORDER BY time_ms, sequence LIMIT $2",
            [.integer(PostgresTime.milliseconds(since)), .integer(Int64(max(0, limit)))]
        ).compactMap(Self.document(row:))
    }

    public func alerts(limit: Int) throws -> [IndexedAlert] {
        try session.query(
            "SELECT class, topic, topic_label, document_id, document_path, time_ms FROM dashboard_alerts ORDER BY sequence DESC LIMIT $1",
            [.integer(Int64(max(0, limit)))]
        ).compactMap { row in
            guard row.count == 6, let name = row[0].text, let topic = row[1].text, let label = row[2].text, let id = row[3].text,
                  let path = row[4].text, let time = row[5].integer else { return nil }
            return IndexedAlert(alertClass: name, topic: topic, topicLabel: label, documentID: id, documentPath: path, time: PostgresTime.date(time))
        }
    }

    public func topics() throws -> [TopicSummary] {
        try session.query("""
            SELECT topic, MIN(time_ms), MAX(time_ms), COUNT(*),
                (SELECT topic_label FROM dashboard_documents AS latest WHERE latest.topic = d.topic ORDER BY time_ms DESC, sequence DESC LIMIT 1)
            FROM dashboard_documents AS d WHERE topic IS NOT NULL GROUP BY topic ORDER BY MAX(time_ms) DESC, topic DESC
            """).compactMap { row in
            guard row.count == 5, let topic = row[0].text, let first = row[1].integer, let last = row[2].integer, let count = row[3].integer else { return nil }
            return TopicSummary(
                topic: topic, label: row[4].text ?? "", firstSeen: PostgresTime.date(first), lastSeen: PostgresTime.date(last), documents: Int(count)
            )
        }
    }

    public func perMinute(since: Date) throws -> [MinuteCount] {
        try session.query(
            "SELECT time_ms / 60000, COUNT(*) FROM dashboard_documents WHERE time_ms >= $1 GROUP BY 1 ORDER BY 1",
            [.integer(PostgresTime.milliseconds(since))]
        ).compactMap { row in
            guard row.count == 2, let minute = row[0].integer, let count = row[1].integer else { return nil }
            return MinuteCount(minute: PostgresTime.date(minute * 60_000), documents: Int(count))
        }
    }

    private static func document(row: [PostgresValue]) -> IndexedDocument? {
        guard row.count == 8, let sequence = row[0].integer, let id = row[1].text, let path = row[2].text, let alerts = row[6].text,
              let time = row[7].integer else { return nil }
        return IndexedDocument(
            id: id, path: path, title: row[3].text, topic: row[4].text, topicLabel: row[5].text,
            alerts: alerts.split(separator: ",").map(String.init), time: PostgresTime.date(time), sequence: sequence
        )
    }
}
