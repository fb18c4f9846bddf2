import SeedwatchCore
import SeedwatchPipeline
import SeedwatchPostgres
import SeedwatchState
import SeedwatchTestSupport
import Testing

/// One implementation of the state protocols, as the contract tests see it. A new store (a
/// PostgreSQL one, say) joins `all` with a factory and must pass the same tests.
struct StateImplementation: Sendable, CustomTestStringConvertible {
    struct Opened: Sendable {
        var ledger: any FileLedger
        var store: any ProcessorStateStore
        var alerts: any AlertLog
        var index: any DocumentIndex
    }

    let name: String
    /// Whether its index stores results (`DocumentIndex.storesResults`): PostgreSQL's does.
    var storesResults = false
    /// Opens the state kept at `location` (a fresh temporary folder per test). Opening the same
    /// location again must show everything written before: that is what durable means here.
    let open: @Sendable (_ location: String) async throws -> Opened

    var testDescription: String { name }

    /// PostgreSQL joins where its server binaries are installed; `PostgresContractTests` skips
    /// visibly where they are not, so a missing server never passes unnoticed.
    static let all: [StateImplementation] = [sqlite, memory] + (PostgresServer.available ? [postgres] : [])

    /// The daemon's: the SQLite database and `alerts.jsonl`.
    static let sqlite = StateImplementation(name: "SQLite and alerts.jsonl") { location in
        let database = try StateDatabase.open(directory: location)
        return Opened(ledger: database.ledger, store: database.store, alerts: AlertFile(directory: location), index: database.index)
    }

    /// In memory: "reopening" finds the same objects for as long as the process lives.
    static let memory = StateImplementation(name: "memory") { location in
        memoryInstances.withLock { opened in
            if let existing = opened[location] { return existing }
            let made = Opened(ledger: MemoryLedger(), store: MemoryStateStore(), alerts: MemoryAlertLog(), index: MemoryDocumentIndex())
            opened[location] = made
            return made
        }
    }

    /// PostgreSQL (the test server): each location is a database of its own, created at first
    /// opening; opening again connects anew to the same database.
    static let postgres = StateImplementation(name: "PostgreSQL", storesResults: true) { location in
        // One database per location, made once even when a test opens it from several tasks.
        let database = postgresDatabases.withLock { databases in
            if let made = databases[location] { return made }
            let made = Task { try await PostgresServer.shared().makeDatabase().url }
            databases[location] = made
            return made
        }
        let session = PostgresSession(location: try PostgresLocation(url: try await database.value), password: nil)
        // Off Swift's pool: opening connects and migrates the schema.
        let state = try await OffPool.run { try PostgresState.open(session: session) }
        return Opened(ledger: state.ledger, store: state.store, alerts: state.alerts, index: state.index)
    }

    private static let postgresDatabases = Locked<[String: Task<String, any Error>]>([:])

    private static let memoryInstances = Locked<[String: Opened]>([:])
}
