import FoundationEssentials
import SeedwatchCore

/// Raised alerts in PostgreSQL, table `alerts`: each line as `AlertLine` encodes it, in the
/// order appended. An alert raised again (same `AlertLine.identity`) is not added: the unique
/// `identity` column refuses it, whichever process raised it first (bytes: the identity's
/// fields are joined by NUL, which `text` cannot hold).
public struct PostgresAlertLog: AlertLog {
    public let session: PostgresSession

    public init(session: PostgresSession) {
        self.session = session
    }

    public func append(_ alert: RaisedAlert, time: Date) throws {
        guard let line = AlertLine.encoded(alert, time: time) else { throw PostgresStateError.unencodableAlert(alertClass: alert.alertClass) }
        try session.query(
            "INSERT INTO alerts(identity, line) VALUES($1, $2) ON CONFLICT(identity) DO NOTHING",
            [AlertLine.identity(alert).map { .bytes(Array($0.utf8)) } ?? .null, .text(String(decoding: line, as: UTF8.self))]
        )
    }

    public func alerts() throws -> [JSONValue] {
        try session.query("SELECT line FROM alerts ORDER BY sequence").compactMap { row in
            row.first?.text.flatMap { JSONValue.parse(Array($0.utf8)) }
        }
    }
}
