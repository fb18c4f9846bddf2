import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchPipeline
import SeedwatchPostgres
import SeedwatchState

/// `seedwatch migrate-state --to postgres://…`: an install on SQLite joins a cluster with what it
/// knows (ledger, topic tracker, entity registry, alerts, the dashboard's index, its results), so
/// nothing is processed again, no story is forgotten, and every node answers for its results.
enum StateMigration {
    static func read(stateDirectory: String, outbox: String) throws -> PortableState {
        let path = stateDirectory + "/" + SQLiteLedger.fileName
        guard access(path, R_OK) == 0 else { throw MigrationError.noState(path) }
        let database = try SQLiteDatabase(path: path)
        var state = PortableState()
        state.ledger = try SQLiteLedger(database: database).allEntries()
        state.processorState = try database.query("SELECT namespace, key, value FROM processor_state ORDER BY namespace, key").compactMap { row in
            guard row.count == 3, let namespace = row[0].text, let key = row[1].text else { return nil }
            let value: [UInt8] = switch row[2] {
            case let .blob(bytes): bytes
            case let .text(text): Array(text.utf8)
            default: []
            }
            return (namespace, key, value)
        }
        let index = try SQLiteDocumentIndex(database: database)
        state.documents = try index.documents(limit: Int.max, before: nil).reversed()
        state.indexedAlerts = try index.alerts(limit: Int.max).reversed()
        // Read one at a time while they are copied, not all held at once.
        state.results = state.ledger.compactMap(\.resultID)
        state.resultBody = { id in FileManager.default.contents(atPath: outbox + "/" + OutboxWriter.fileName(id: id)).map { Array($0) } }
        if let bytes = FileManager.default.contents(atPath: outbox + "/" + AlertFile.fileName) {
            state.alertLines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        }
        return state
    }
}

enum MigrationError: Error, CustomStringConvertible {
    case noState(String)

    var description: String {
        switch self {
        case let .noState(path): "no SQLite state to copy at \(path)"
        }
    }
}
