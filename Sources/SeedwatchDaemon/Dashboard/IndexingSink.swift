import FoundationEssentials
import Logging
import SeedwatchCore
import SeedwatchPipeline
import SeedwatchProcessors

/// The outbox sink that also keeps the dashboard's index: a result, once durable, becomes a
/// row; a removed result loses its row. The index is a view for people, so a failure to update
/// it is logged and never holds a document back. Its rows are queued for the group commit that
/// writes the document's ledger row next (`DocumentIndex.enqueue`), not written one by one.
///
/// Where the index stores results (a cluster's database), the bytes of the outbox file go in the
/// same `enqueue` as the row, so other nodes can answer `GET /documents/{id}` for them.
struct IndexingSink: DocumentSink {
    let base: OutboxSink
    let index: any DocumentIndex
    let logger: Logger

    func write(_ record: ResultRecord) async throws {
        let bytes = try await base.writeReturningBytes(record)
        // A duplicate record has no results of its own: the timeline shows its original.
        var changes: [DocumentIndexChange] = [record.status == "processed" ? .record(IndexedDocument(record)) : .remove(id: record.id)]
        if index.storesResults { changes.append(.result(id: record.id, bytes: bytes)) }
        updateIndex("record \(record.id)", changes)
    }

    func quarantine(_ record: QuarantineWriter.Record) async throws {
        try await base.quarantine(record)
    }

    func removeResult(id: String) {
        base.removeResult(id: id)
        updateIndex("remove \(id)", [.remove(id: id)])
    }

    func clearQuarantine(relativePath: String) {
        base.clearQuarantine(relativePath: relativePath)
    }

    private func updateIndex(_ what: String, _ changes: [DocumentIndexChange]) {
        let logger = logger
        index.enqueue(changes) { error in logger.warning("cannot update the dashboard index (\(what)): \(error)") }
    }
}

/// The alert log that also adds each alert to the dashboard's index, after the log took it.
struct IndexingAlertLog: AlertLog {
    let base: any AlertLog
    let index: any DocumentIndex
    let logger: Logger

    func append(_ alert: RaisedAlert, time: Date) throws {
        try base.append(alert, time: time)
        guard let indexed = IndexedAlert(alert, time: time) else { return }
        let logger = logger, alertClass = alert.alertClass
        index.enqueue([.alert(indexed)]) { error in logger.warning("cannot add the \(alertClass) alert to the dashboard index: \(error)") }
    }

    func alerts() throws -> [JSONValue] {
        try base.alerts()
    }
}

extension IndexedDocument {
    /// The row of a processed result: its title (text processor), topic and alerts (topics processor).
    init(_ record: ResultRecord) {
        var title: String?
        var topics: TopicsResult?
        for output in record.results.values {
            if let text = output.output as? TextResult { title = text.analysis.title?.text }
            if let found = output.output as? TopicsResult { topics = found }
        }
        self.init(
            id: record.id, path: record.source.relativePath, title: title, topic: topics?.topic, topicLabel: topics?.label,
            alerts: topics?.alerts.map(\.alertClass.rawValue) ?? [], time: Timestamp.parse(record.completedAt) ?? Date()
        )
    }
}
