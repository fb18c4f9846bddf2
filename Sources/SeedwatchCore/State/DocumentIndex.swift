import FoundationEssentials

/// A small index of the processed documents and raised alerts, for the dashboard and `/api/*`:
/// enough to draw the timeline and list pages without reading the outbox. A back end shared by
/// several nodes (PostgreSQL) also stores each result's bytes (`storesResults`), so any node can
/// answer for a result another node wrote into its own outbox. Implementations: the state
/// database (SeedwatchState), PostgreSQL (SeedwatchPostgres) and `MemoryDocumentIndex`; each
/// passes the contract tests in `Tests/SeedwatchStateTests/Contract`.
public protocol DocumentIndex: Sendable {
    /// Inserts or replaces the row of `document.id`; it becomes the newest.
    func record(_ document: IndexedDocument) throws
    /// Drops a document whose result was removed (its file changed or was quarantined), and its
    /// stored result.
    func remove(id: String) throws
    /// Whether `store(result:id:)` keeps the bytes for `result(id:)`. False (the default): the
    /// outbox alone has the results, `store` keeps nothing and `result(id:)` is always nil.
    var storesResults: Bool { get }
    /// Keeps the bytes of result `id` (its outbox file), replacing earlier ones, until
    /// `remove(id:)`. The daemon sends them in the same `enqueue` as the document's row (or, for
    /// a duplicate record, the removal of any row), so where changes share a transaction a result
    /// is stored exactly when its index change is made.
    func store(result: [UInt8], id: String) throws
    /// The stored bytes of result `id`, or nil when none are stored (always nil where
    /// `storesResults` is false).
    func result(id: String) throws -> [UInt8]?
    /// Appends one alert; alerts are history and stay when their document goes.
    func record(_ alert: IndexedAlert) throws
    /// The same writes, in order, without waiting for them: queued for the next group commit
    /// where the index shares one with the ledger (`DocumentIndexChange`), else made at once.
    func enqueue(_ changes: [DocumentIndexChange], failed: @escaping @Sendable (any Error) -> Void)
    /// Newest first: at most `limit` documents recorded before the cursor `before` (a `sequence`).
    func documents(limit: Int, before: Int64?) throws -> [IndexedDocument]
    /// Oldest first: at most `limit` documents with `time >= since`.
    func documents(since: Date, limit: Int) throws -> [IndexedDocument]
    /// Newest first, at most `limit`.
    func alerts(limit: Int) throws -> [IndexedAlert]
    /// Every topic of the indexed documents, the most recently seen first.
    func topics() throws -> [TopicSummary]
    /// Documents per minute (by `time`) from `since` on, oldest minute first; minutes without any are left out.
    func perMinute(since: Date) throws -> [MinuteCount]
}

extension DocumentIndex {
    public var storesResults: Bool { false }

    public func store(result: [UInt8], id: String) throws {}

    public func result(id: String) throws -> [UInt8]? { nil }
}

/// How many indexed documents fall in one minute.
public struct MinuteCount: Sendable, Equatable {
    /// The minute's start.
    public var minute: Date
    public var documents: Int

    public init(minute: Date, documents: Int) {
        self.minute = minute
        self.documents = documents
    }
}

/// One document as the index keeps it.
public struct IndexedDocument: Sendable, Equatable {
    public var id: String
    /// Relative to the watch folder.
    public var path: String
    public var title: String?
    public var topic: String?
    public var topicLabel: String?
    /// The classes of the alerts this document raised (`new_topic`, `topic_shift`).
    public var alerts: [String]
    /// When its result was written.
    public var time: Date
    /// Order of recording, assigned by the index (0 until recorded): the paging cursor.
    public var sequence: Int64

    public init(id: String, path: String, title: String?, topic: String?, topicLabel: String?, alerts: [String], time: Date, sequence: Int64 = 0) {
        self.id = id
        self.path = path
        self.title = title
        self.topic = topic
        self.topicLabel = topicLabel
        self.alerts = alerts
        self.time = time
        self.sequence = sequence
    }
}

/// One raised alert as the index keeps it.
public struct IndexedAlert: Sendable, Equatable {
    public var alertClass: String
    public var topic: String
    public var topicLabel: String
    public var documentID: String
    public var documentPath: String
    public var time: Date

    public init(alertClass: String, topic: String, topicLabel: String, documentID: String, documentPath: String, time: Date) {
        self.alertClass = alertClass
        self.topic = topic
        self.topicLabel = topicLabel
        self.documentID = documentID
        self.documentPath = documentPath
        self.time = time
    }

    /// The index's form of an alert record (`AlertLine`'s fields: `topic_id`, `topic_label`,
    /// `document_id`, `document_path`); nil for a record that names no document.
    public init?(_ alert: RaisedAlert, time: Date) {
        guard let document = alert.record["document_id"]?.stringValue else { return nil }
        self.init(
            alertClass: alert.alertClass, topic: alert.record["topic_id"]?.stringValue ?? "", topicLabel: alert.record["topic_label"]?.stringValue ?? "",
            documentID: document, documentPath: alert.record["document_path"]?.stringValue ?? "", time: time
        )
    }
}

/// A topic over the indexed documents.
public struct TopicSummary: Sendable, Equatable {
    public var topic: String
    /// The label of its most recent document: labels change as a story grows.
    public var label: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var documents: Int

    public init(topic: String, label: String, firstSeen: Date, lastSeen: Date, documents: Int) {
        self.topic = topic
        self.label = label
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.documents = documents
    }
}

/// The index in memory: for `seedwatch process` and tests. Stores no results.
public final class MemoryDocumentIndex: DocumentIndex {
    private struct Kept {
        var documents: [IndexedDocument] = []
        var alerts: [IndexedAlert] = []
        var sequence: Int64 = 0
    }

    private let kept = Locked(Kept())

    public init() {}

    public func record(_ document: IndexedDocument) throws {
        kept.withLock {
            $0.sequence += 1
            var row = document
            row.sequence = $0.sequence
            $0.documents.removeAll { $0.id == document.id }
            $0.documents.append(row)
        }
    }

    public func remove(id: String) throws {
        kept.withLock { $0.documents.removeAll { $0.id == id } }
    }

    public func record(_ alert: IndexedAlert) throws {
        kept.withLock { $0.alerts.append(alert) }
    }

    public func documents(limit: Int, before: Int64?) throws -> [IndexedDocument] {
        kept.withLock { Array($0.documents.reversed().filter { row in before.map { row.sequence < $0 } ?? true }.prefix(max(0, limit))) }
    }

    public func documents(since: Date, limit: Int) throws -> [IndexedDocument] {
        kept.withLock { Array($0.documents.filter { $0.time >= since }.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }.prefix(max(0, limit))) }
    }

    public func alerts(limit: Int) throws -> [IndexedAlert] {
        kept.withLock { Array($0.alerts.reversed().prefix(max(0, limit))) }
    }

    public func perMinute(since: Date) throws -> [MinuteCount] {
        let minutes = kept.withLock { $0.documents.filter { $0.time >= since }.map { Int64(($0.time.timeIntervalSince1970 * 1000).rounded(.down)) / 60_000 } }
        var counts: [Int64: Int] = [:]
        for minute in minutes { counts[minute, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { MinuteCount(minute: Date(timeIntervalSince1970: Double($0.key) * 60), documents: $0.value) }
    }

    public func topics() throws -> [TopicSummary] {
        let documents = kept.withLock { $0.documents }
        var byTopic: [String: TopicSummary] = [:]
        var latest: [String: (Date, Int64)] = [:]
        for document in documents {
            guard let topic = document.topic else { continue }
            let key = (document.time, document.sequence)
            if var summary = byTopic[topic] {
                summary.firstSeen = min(summary.firstSeen, document.time)
                summary.lastSeen = max(summary.lastSeen, document.time)
                summary.documents += 1
                if let last = latest[topic], last < key {
                    summary.label = document.topicLabel ?? ""
                    latest[topic] = key
                }
                byTopic[topic] = summary
            } else {
                byTopic[topic] = TopicSummary(topic: topic, label: document.topicLabel ?? "", firstSeen: document.time, lastSeen: document.time, documents: 1)
                latest[topic] = key
            }
        }
        return byTopic.values.sorted { ($0.lastSeen, $0.topic) > ($1.lastSeen, $1.topic) }
    }
}
