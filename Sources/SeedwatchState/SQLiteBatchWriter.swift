import SeedwatchCore

/// A `StateBatch` in one SQLite transaction: one prepared statement per row, so a batch of any
/// size uses the same few statements (processor state saved, removed, ledger rows, dashboard index rows).
extension SQLiteDatabase: StateBatchWriter {
    public func apply(_ batch: StateBatch) throws {
        var statements: [(String, [SQLiteValue])] = []
        for (key, value) in batch.saves {
            statements.append((SQLiteStateStore.upsert, [.text(key.namespace), .text(key.key), .blob(value)]))
        }
        for key in batch.removals {
            statements.append((SQLiteStateStore.delete, [.text(key.namespace), .text(key.key)]))
        }
        for entry in batch.ledgerEntries {
            statements.append((SQLiteLedger.upsert, entry.values))
        }
        statements += batch.indexChanges.compactMap(SQLiteDocumentIndex.statement)
        try transaction(statements)
    }
}
