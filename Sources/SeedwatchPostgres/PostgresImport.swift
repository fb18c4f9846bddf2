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
    /// The ids of the results to copy (the ledger's processed and duplicate records).
    public var results: [String] = []
    /// The bytes of result `id` (its outbox file), read when it is copied; nil when there is none.
    public var resultBody: @Sendable (_ id: String) -> [UInt8]? = { _ in nil }

    public init() {}
}

/// Copies a `PortableState` into a database with no state yet, in one transaction: all of it
/// or none. A database that already holds files or processor state is refused, so a second
/// run, or a run against a cluster's live database, changes nothing. Returns how many results
/// it copied (a result whose file is gone is left out).
public enum PostgresImport {
    @discardableResult
    public static func copy(_ state: PortableState, session: PostgresSession, node: String?) throws(PostgresStateError) -> Int {
        try PostgresSchema.migrate(session)
        return try session.withTransaction { run throws(PostgresStateError) in
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
            var copied = 0
            for id in state.results {
                guard let body = state.resultBody(id) else { continue }
                let (sql, values) = PostgresDocumentIndex.storing(result: body, id: id)
                _ = try run(sql, values)
                copied += 1
            }
            return copied
        }
    }
}
