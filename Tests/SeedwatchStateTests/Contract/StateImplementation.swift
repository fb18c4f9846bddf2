import SeedwatchCore
import SeedwatchPipeline
import SeedwatchState
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
    /// Opens the state kept at `location` (a fresh temporary folder per test). Opening the same
    /// location again must show everything written before: that is what durable means here.
    let open: @Sendable (_ location: String) throws -> Opened

    var testDescription: String { name }

    static let all: [StateImplementation] = [sqlite, memory]

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

    private static let memoryInstances = Locked<[String: Opened]>([:])
}
