import Logging
import SeedwatchCore

/// The daemon's state in PostgreSQL: the ledger, the processors' state, the alerts and the
/// dashboard's index, all on one session, with the schema brought up to date on opening.
public struct PostgresState: Sendable {
    public let session: PostgresSession
    public let ledger: PostgresLedger
    public let store: PostgresStateStore
    public let alerts: PostgresAlertLog
    public let index: PostgresDocumentIndex
    /// The schema version found before migrating (0: a new database).
    public let foundVersion: Int

    /// Connects and migrates; throws if the server cannot be reached or refuses the schema.
    public static func open(_ settings: DatabaseSettings, location: PostgresLocation, logger: Logger) throws -> PostgresState {
        let session = PostgresSession(location: location, password: try settings.password(), abandonTransactionsAfter: settings.lease, logger: logger)
        return try open(session: session, node: settings.nodeName)
    }

    public static func open(session: PostgresSession, node: String? = nil) throws(PostgresStateError) -> PostgresState {
        let found = try PostgresSchema.migrate(session)
        return PostgresState(
            session: session, ledger: PostgresLedger(session: session), store: PostgresStateStore(session: session),
            alerts: PostgresAlertLog(session: session, node: node), index: PostgresDocumentIndex(session: session), foundVersion: found
        )
    }

    /// What `check-config` reports: the server's version and the schema's, without changing anything.
    public static func describe(_ settings: DatabaseSettings, location: PostgresLocation) throws -> String {
        let session = PostgresSession(location: location, password: try settings.password())
        defer { session.close() }
        let server = try PostgresSchema.serverVersion(session)
        let schema = try PostgresSchema.version(session)
        let schemaText = schema == 0 ? "none yet (the daemon creates version \(PostgresSchema.currentVersion))" : "\(schema)"
        return "database \(location): PostgreSQL \(server), schema version \(schemaText)"
    }

    /// The alerts every node raised after `sequence` (0: all), oldest first, for `seedwatch alerts --cluster`.
    public static func alerts(_ settings: DatabaseSettings, location: PostgresLocation, after sequence: Int64) throws -> [(sequence: Int64, line: String, node: String?)] {
        let session = PostgresSession(location: location, password: try settings.password())
        defer { session.close() }
        return try PostgresAlertLog(session: session).lines(after: sequence)
    }
}
