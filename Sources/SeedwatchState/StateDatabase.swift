import SeedwatchCore

/// The daemon's durable state in the state folder: the ledger of files, the processors'
/// state and the dashboard's index, in one database (`seedwatch.sqlite`). Callers see only the protocols, so another
/// store can take its place.
public struct StateDatabase: Sendable {
    public let ledger: any FileLedger
    public let store: any ProcessorStateStore
    /// What the dashboard and `/api/*` read.
    public let index: any DocumentIndex
    /// Where the state lives, for messages (the database file's path).
    public let location: String
    /// The group commit the writes share, for the pipeline to count its documents in flight
    /// (`GroupCommit.documentStarted`); nil for a store without one.
    public var commits: GroupCommit?

    /// The files the state is kept in, inside the state folder (the database and its journals).
    public static let fileNames = [SQLiteLedger.fileName, SQLiteLedger.fileName + "-wal", SQLiteLedger.fileName + "-shm"]

    /// Opens (creating if needed) the database in `directory`.
    public static func open(directory: String) throws -> StateDatabase {
        let ledger = try SQLiteLedger(stateDirectory: directory)
        // One group commit for the ledger, the processors' state and the dashboard index: one
        // transaction per batch.
        return StateDatabase(
            ledger: ledger, store: SQLiteStateStore(database: ledger.database, commits: ledger.commits), index: try SQLiteDocumentIndex(database: ledger.database, commits: ledger.commits),
            location: ledger.database.path, commits: ledger.commits
        )
    }
}
