import FoundationEssentials
import Logging
import SeedwatchCore
import SeedwatchPipeline
import SeedwatchPostgres
import SeedwatchState

/// The daemon's state, chosen by `database.url`: empty, the SQLite database in the state folder
/// and `alerts.jsonl` in the outbox; a PostgreSQL URL, everything in that database (the schema
/// created or migrated now), with alerts also appended to the node's own `alerts.jsonl`.
struct DaemonState: Sendable {
    let ledger: any FileLedger
    let store: any ProcessorStateStore
    let index: any DocumentIndex
    let alerts: any AlertLog
    /// Where the state lives, for messages: the database file's path or the database URL.
    let location: String
}

public enum StateSetup {
    static func open(_ configuration: Configuration, settings: DaemonSettings, logger: Logger) throws -> DaemonState {
        let database = try DatabaseSettings(configuration)
        let file = AlertFile(directory: settings.outbox)
        guard let location = database.postgres else {
            let state = try StateDatabase.open(directory: settings.state)
            return DaemonState(ledger: state.ledger, store: state.store, index: state.index, alerts: file, location: state.location)
        }
        // The state folder still holds the control socket.
        try FileManager.default.createDirectory(atPath: settings.state, withIntermediateDirectories: true)
        let state = try PostgresState.open(database, location: location, logger: logger)
        logger.info(
            "state in PostgreSQL \(location): schema version \(PostgresSchema.currentVersion)\(state.foundVersion == PostgresSchema.currentVersion ? "" : " (was \(state.foundVersion))"), node \(database.nodeName)"
        )
        return DaemonState(
            ledger: state.ledger, store: state.store, index: state.index, alerts: MirroredAlertLog(database: state.alerts, file: file),
            location: location.description
        )
    }

    /// `check-config`'s line about the database: nil without `database.url`; the server's and the
    /// schema's versions when it answers. Throws when it cannot connect.
    public static func describeDatabase(_ configuration: Configuration) throws -> String? {
        let database = try DatabaseSettings(configuration)
        guard let location = database.postgres else { return nil }
        return try PostgresState.describe(database, location: location)
    }
}

/// Alerts kept in the database (what `alerts()` reads, shared by every node) and appended to the
/// node's own `alerts.jsonl` too, where operators and tools already read them. The database
/// decides first, so the file never holds an alert the database refused.
struct MirroredAlertLog: AlertLog {
    let database: any AlertLog
    let file: any AlertLog

    func append(_ alert: RaisedAlert, time: Date) throws {
        try database.append(alert, time: time)
        try file.append(alert, time: time)
    }

    func alerts() throws -> [JSONValue] { try database.alerts() }
}
