import SeedwatchCore

/// A daemon's state as read from SQLite and `alerts.jsonl`, for `seedwatch migrate-state`.
public struct PortableState: Sendable {
    public var ledger: [LedgerEntry] = []
    public var processorState: [(namespace: String, key: String, value: [UInt8])] = []
    /// `alerts.jsonl`'s lines, oldest first.
    public var alertLines: [String] = []
    /// The dashboard's index, oldest first.
    public var documents: [IndexedDocument] = []
    public var indexedAlerts: [IndexedAlert] = []

    public init() {}
}

/// Copies a `PortableState` into a database with no state yet, in one transaction: all of it
/// or none. A database that already holds files or processor state is refused, so a second
/// run, or a run against a cluster's live database, changes nothing.
public enum PostgresImport {
    public static func copy(_ state: PortableState, session: PostgresSession, node: String?) throws(PostgresStateError) {
        try PostgresSchema.migrate(session)
        try session.withTransaction { run throws(PostgresStateError) in
            let used = try run("SELECT (EXISTS(SELECT 1 FROM files) OR EXISTS(SELECT 1 FROM processor_state))::INT", [])
            guard used.first?.first?.integer == 0 else {
                throw .schema(message: "the database already holds state (files or processor_state): nothing copied")
            }
            for entry in state.ledger {
                let (sql, values) = PostgresLedger.recording(entry)
                _ = try run(sql, values)
            }
            for row in state.processorState {
                _ = try run(PostgresStateStore.upsert, [.text(row.namespace), .text(row.key), .bytes(row.value)])
            }
            for line in state.alertLines {
                let identity = JSONValue.parse(Array(line.utf8)).flatMap(AlertLine.identity(ofLine:))
                let (sql, values) = PostgresAlertLog.recording(line: line, identity: identity, node: node)
                _ = try run(sql, values)
            }
            for document in state.documents {
                let (sql, values) = PostgresDocumentIndex.recording(document)
                _ = try run(sql, values)
            }
            for alert in state.indexedAlerts {
                let (sql, values) = PostgresDocumentIndex.recording(alert)
                _ = try run(sql, values)
            }
        }
    }
}
