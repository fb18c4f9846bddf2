import Logging
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchPipeline
import SeedwatchPostgres

/// The daemon's state in PostgreSQL (`SeedwatchPostgres`), as `DatabaseBackend` asks for it.
struct PostgresBackend: DatabaseBackend {
    func open(_ database: DatabaseSettings, settings: DaemonSettings, alertFile: AlertFile, logger: Logger) throws -> DaemonState {
        guard let location = database.postgres else { throw DatabaseBackendError.noDatabase }
        let state = try PostgresState.open(database, location: location, logger: logger)
        let heartbeats = PostgresSession(location: location, password: try database.password(), abandonTransactionsAfter: database.lease, logger: logger)
        let cluster = PostgresCluster(node: database.nodeName, lease: database.lease, session: heartbeats, state: state.session)
        let migrated = state.foundVersion == PostgresSchema.currentVersion ? "" : " (was \(state.foundVersion))"
        logger.info("state in PostgreSQL \(location): schema version \(PostgresSchema.currentVersion)\(migrated), node \(database.nodeName)")
        return DaemonState(
            ledger: state.ledger, store: state.store, index: state.index,
            alerts: MirroredAlertLog(database: state.alerts, file: alertFile), location: location.description,
            cluster: cluster
        )
    }

    func describe(_ database: DatabaseSettings) throws -> String {
        guard let location = database.postgres else { throw DatabaseBackendError.noDatabase }
        return try PostgresState.describe(database, location: location)
    }

    func alerts(_ database: DatabaseSettings, after: Int64) throws -> [(sequence: Int64, line: String, node: String?)] {
        guard let location = database.postgres else { throw DatabaseBackendError.noDatabase }
        return try PostgresState.alerts(database, location: location, after: after)
    }

    func isUnreachable(_ error: any Error) -> Bool {
        if case .connect? = error as? PostgresStateError { return true }
        return false
    }

    func migrate(stateDirectory: String, outbox: String, to database: DatabaseSettings) throws -> String {
        guard let location = database.postgres else { throw DatabaseBackendError.noDatabase }
        let state = try StateMigration.read(stateDirectory: stateDirectory, outbox: outbox)
        let session = PostgresSession(location: location, password: try database.password())
        defer { session.close() }
        let results = try PostgresImport.copy(state, session: session, node: database.nodeName)
        return "copied to \(location): \(state.ledger.count) ledger rows, \(state.processorState.count) processor state rows, "
            + "\(state.alertLines.count) alerts, \(state.documents.count) indexed documents, \(state.indexedAlerts.count) indexed alerts, "
            + "\(results) results"
    }
}
