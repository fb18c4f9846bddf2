import FoundationEssentials
import Glibc
import Logging
import SeedwatchCore
import SeedwatchExecutors
import SeedwatchPipeline
import SeedwatchState

/// The daemon's state, chosen by `database.url`: empty, the SQLite database in the state folder
/// and `alerts.jsonl` in the outbox; a PostgreSQL URL, everything in that database, through the
/// `DatabaseBackend` the `seedwatch-cluster` binary registers.
public struct DaemonState: Sendable {
    public let ledger: any FileLedger
    public let store: any ProcessorStateStore
    public let index: any DocumentIndex
    public let alerts: any AlertLog
    /// Where the state lives, for messages: the database file's path or the database URL.
    public let location: String
    /// This daemon's membership of a cluster on a shared database; nil on SQLite.
    public let cluster: (any ClusterNode)?
    /// SQLite's group commit, told when documents start and finish so a commit can gather them.
    public let commits: GroupCommit?

    public init(
        ledger: any FileLedger, store: any ProcessorStateStore, index: any DocumentIndex, alerts: any AlertLog, location: String,
        cluster: (any ClusterNode)? = nil, commits: GroupCommit? = nil
    ) {
        self.cluster = cluster
        self.commits = commits
        self.ledger = ledger
        self.store = store
        self.index = index
        self.alerts = alerts
        self.location = location
    }
}

/// State in a database server (`database.url`). Kept behind this protocol so that the `seedwatch`
/// binary does not link a PostgreSQL client: postgres-nio brings full Foundation and ICU (~11 MiB
/// more resident) and TLS, which a daemon on SQLite never uses.
public protocol DatabaseBackend: Sendable {
    /// Connects, migrates the schema, and returns the state; `alertFile` is the node's own `alerts.jsonl`.
    func open(_ database: DatabaseSettings, settings: DaemonSettings, alertFile: AlertFile, logger: Logger) throws -> DaemonState
    /// `check-config`'s line: the server's and the schema's versions. Throws when it cannot connect.
    func describe(_ database: DatabaseSettings) throws -> String
    /// The alerts every node raised, oldest first, from `after` (a sequence number; 0: all) on,
    /// each with its sequence number, for `seedwatch alerts --cluster`.
    func alerts(_ database: DatabaseSettings, after: Int64) throws -> [(sequence: Int64, line: String, node: String?)]
    /// Whether `error`, thrown by `open`, means the server did not answer or refused the
    /// connection (worth waiting for), rather than a state it must not write (a newer schema).
    func isUnreachable(_ error: any Error) -> Bool
    /// `seedwatch migrate-state`: copies the SQLite state in `stateDirectory`, and the alerts
    /// (`alerts.jsonl`) and results in `outbox`, into `database`, which must hold no state yet;
    /// returns what it copied.
    func migrate(stateDirectory: String, outbox: String, to database: DatabaseSettings) throws -> String
}

/// The database back end this binary has: none in `seedwatch`, PostgreSQL in `seedwatch-cluster`
/// (registered by its `main` before any command runs).
public enum DatabaseBackends {
    private static let registered = Locked<(any DatabaseBackend)?>(nil)

    public static func register(_ backend: any DatabaseBackend) {
        registered.withLock { $0 = backend }
    }

    public static var current: (any DatabaseBackend)? { registered.withLock { $0 } }

    /// The back end for `database`, or an error naming the binary that has one.
    static func required() throws(DatabaseBackendError) -> any DatabaseBackend {
        guard let backend = current else { throw .missing(ClusterHandoff.clusterBinaryPath()) }
        return backend
    }
}

public enum DatabaseBackendError: Error, Sendable, CustomStringConvertible {
    case missing(String)
    case handoff(path: String, errno: Int32)
    case noDatabase

    public var description: String {
        switch self {
        case let .missing(path):
            "database.url is set, but this seedwatch has no PostgreSQL client; it is in seedwatch-cluster, expected at \(path) (`make cluster`, or the seedwatch-cluster package)"
        case .noDatabase: "database.url is empty: the state is in SQLite"
        case let .handoff(path, code):
            "database.url is set: cannot run \(path) (\(String(cString: strerror(code)))); it has the PostgreSQL client this seedwatch lacks (`make cluster`)"
        }
    }
}

public enum StateSetup {
    /// The longest wait between two attempts to reach the database at start.
    static let longestRetry: Duration = .seconds(30)

    /// Opens the state. A database server that does not answer is waited for: said once in the
    /// journal and in `STATUS=` ("waiting for database"), tried again with back-off (0.25 s
    /// doubling to 30 s), each wait extending systemd's start timeout; the daemon starts when it answers.
    static func open(
        _ configuration: Configuration, settings: DaemonSettings, logger: Logger, notify: @Sendable (String) -> Void
    ) async throws -> DaemonState {
        let database = try DatabaseSettings(configuration)
        let file = AlertFile(directory: settings.outbox)
        guard let location = database.postgres else {
            let state = try StateDatabase.open(directory: settings.state)
            return DaemonState(
                ledger: state.ledger, store: state.store, index: state.index, alerts: file, location: state.location, commits: state.commits
            )
        }
        // The state folder still holds the control socket.
        try FileManager.default.createDirectory(atPath: settings.state, withIntermediateDirectories: true)
        let backend = try DatabaseBackends.required()
        var delay: Duration = .milliseconds(250)
        var waiting = false
        while true {
            do {
                let state = try backend.open(database, settings: settings, alertFile: file, logger: logger)
                if waiting { logger.notice("database \(location) answers: starting") }
                return state
            } catch where backend.isUnreachable(error) {
                if !waiting {
                    logger.error("waiting for database \(location): \(error); trying again with back-off up to \(longestRetry)")
                    waiting = true
                }
                let extend = (delay * 2 + .seconds(5)).components
                notify("STATUS=waiting for database \(location)\nEXTEND_TIMEOUT_USEC=\(extend.seconds * 1_000_000 + extend.attoseconds / 1_000_000_000_000)")
                try await DaemonExecutors.sleep(for: delay)
                delay = min(delay * 2, longestRetry)
            }
        }
    }

    /// `check-config`'s line about the database: nil without `database.url`; the server's and the
    /// schema's versions when it answers. Throws when it cannot connect.
    public static func describeDatabase(_ configuration: Configuration) throws -> String? {
        let database = try DatabaseSettings(configuration)
        guard database.postgres != nil else { return nil }
        return try DatabaseBackends.required().describe(database)
    }
}

/// Alerts kept in the database (what `alerts()` reads, shared by every node) and appended to the
/// node's own `alerts.jsonl` too, where operators and tools already read them. The database
/// decides first: the file gets an alert only when this node raised it, so across the nodes'
/// files each alert is once, also when a node died and another took its document again; the same
/// node's replay after a kill -9 finds its own row and completes its file (which keeps one line).
public struct MirroredAlertLog: AlertLog {
    let database: any SharedAlertLog
    let file: any AlertLog

    public init(database: any SharedAlertLog, file: any AlertLog) {
        self.database = database
        self.file = file
    }

    public func append(_ alert: RaisedAlert, time: Date) throws {
        guard try database.appendIfNew(alert, time: time) else { return }
        try file.append(alert, time: time)
    }

    public func alerts() throws -> [JSONValue] { try database.alerts() }
}
