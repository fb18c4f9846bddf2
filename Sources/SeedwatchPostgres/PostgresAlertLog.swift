import FoundationEssentials
import SeedwatchCore

/// Raised alerts in PostgreSQL, table `alerts`: each line as `AlertLine` encodes it, in the
/// order appended. An alert raised again (same `AlertLine.identity`) is not added: the unique
/// `identity` column refuses it, whichever process raised it first (bytes: the identity's
/// fields are joined by NUL, which `text` cannot hold).
public struct PostgresAlertLog: SharedAlertLog {
    public let session: PostgresSession
    /// The node that raises the alerts appended here (`node.name`), kept with each.
    public let node: String?

    public init(session: PostgresSession, node: String? = nil) {
        self.session = session
        self.node = node
    }

    public func append(_ alert: RaisedAlert, time: Date) throws {
        _ = try appendIfNew(alert, time: time)
    }

    /// Appends the alert unless the cluster holds it already; true when this node holds it (added
    /// now, or by this node before a kill -9), false when another node raised it (it processed
    /// the document before it died, and this node took the document again).
    public func appendIfNew(_ alert: RaisedAlert, time: Date) throws -> Bool {
        guard let line = AlertLine.encoded(alert, time: time) else { throw PostgresStateError.unencodableAlert(alertClass: alert.alertClass) }
        let (sql, values) = Self.recording(line: String(decoding: line, as: UTF8.self), identity: AlertLine.identity(alert), node: node)
        // One statement, one snapshot: the existing row is read only when the insert added none.
        let owner = try session.write(
            "WITH added AS (\(sql) RETURNING node) SELECT node FROM added "
                + "UNION ALL SELECT node FROM alerts WHERE identity = $1 AND NOT EXISTS (SELECT 1 FROM added)",
            values
        )
        return owner.first?.first?.text == node
    }

    static func recording(line: String, identity: String?, node: String?) -> (String, [PostgresValue]) {
        (
            "INSERT INTO alerts(identity, line, node) VALUES($1, $2, $3) ON CONFLICT(identity) DO NOTHING",
            [identity.map { .bytes(Array($0.utf8)) } ?? .null, .text(line), .optional(node)]
        )
    }

    public func alerts() throws -> [JSONValue] {
        try session.query("SELECT line FROM alerts ORDER BY sequence").compactMap { row in
            row.first?.text.flatMap { JSONValue.parse(Array($0.utf8)) }
        }
    }

    /// The stored lines after `sequence`, with their sequence numbers, oldest first.
    public func lines(after sequence: Int64) throws(PostgresStateError) -> [(sequence: Int64, line: String, node: String?)] {
        try session.query("SELECT sequence, line, node FROM alerts WHERE sequence > $1 ORDER BY sequence", [.integer(sequence)]).compactMap { row in
            guard row.count == 3, let sequence = row[0].integer, let line = row[1].text else { return nil }
            return (sequence, line, row[2].text)
        }
    }
}
