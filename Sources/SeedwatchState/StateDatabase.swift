import SeedwatchCore

/// The daemon's durable state in the state folder: the ledger of files and the processors'
/// state, in one database (`seedwatch.sqlite`). Callers see only the protocols, so another
/// store can take its place.
public struct StateDatabase: Sendable {
    public let ledger: any FileLedger
    public let store: any ProcessorStateStore

    /// Opens (creating if needed) the database in `directory`.
    public static func open(directory: String) throws -> StateDatabase {
        let ledger = try SQLiteLedger(stateDirectory: directory)
        return StateDatabase(ledger: ledger, store: SQLiteStateStore(database: ledger.database))
    }
}
