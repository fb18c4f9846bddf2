import FoundationEssentials
import SeedwatchCore

/// `GET /api/*`: the dashboard's data as JSON, from the document index.
enum DashboardAPI {
    static func topics(_ index: any DocumentIndex) throws -> ControlResponse {
        let topics = try index.topics().map { topic -> JSONValue in
            .object([
                "topic": .string(topic.topic), "label": .string(topic.label), "first_seen": .string(Timestamp.format(topic.firstSeen)),
                "last_seen": .string(Timestamp.format(topic.lastSeen)), "documents": .integer(topic.documents),
            ])
        }
        return .json(200, ["topics": .array(topics)])
    }

    /// `?since=` an RFC 3339 time (default: an hour ago), `&limit=` 1…5000 (default 1000); oldest first.
    static func timeline(_ index: any DocumentIndex, query: [String: String]) throws -> ControlResponse {
        var since = Date().addingTimeInterval(-3600)
        if let text = query["since"] {
            guard let parsed = Timestamp.parse(text) else { return .error(400, "bad_since", "since must be an RFC 3339 time, e.g. 2026-12-07T16:00:00Z") }
            since = parsed
        }
        guard let limit = limit(query, default: 1000, most: 5000) else { return badLimit(5000) }
        let documents = try index.documents(since: since, limit: limit)
        return .json(200, ["since": .string(Timestamp.format(since)), "documents": .array(documents.map(object))])
    }

    /// `?limit=` 1…1000 (default 100); newest first.
    static func alerts(_ index: any DocumentIndex, query: [String: String]) throws -> ControlResponse {
        guard let limit = limit(query, default: 100, most: 1000) else { return badLimit(1000) }
        let alerts = try index.alerts(limit: limit).map { alert -> JSONValue in
            .object([
                "class": .string(alert.alertClass), "topic": .string(alert.topic), "topic_label": .string(alert.topicLabel),
                "document_id": .string(alert.documentID), "document_path": .string(alert.documentPath), "time": .string(Timestamp.format(alert.time)),
            ])
        }
        return .json(200, ["alerts": .array(alerts)])
    }

    /// `?limit=` 1…500 (default 50) `&before=` a `sequence` from an earlier page; newest first.
    /// `next_before` is the cursor of the next page, null on the last.
    static func documents(_ index: any DocumentIndex, query: [String: String]) throws -> ControlResponse {
        guard let limit = limit(query, default: 50, most: 500) else { return badLimit(500) }
        var before: Int64?
        if let text = query["before"] {
            guard let cursor = Int64(text), cursor > 0 else { return .error(400, "bad_before", "before must be a sequence number from an earlier page") }
            before = cursor
        }
        let documents = try index.documents(limit: limit, before: before)
        let next: JSONValue = documents.count == limit ? documents.last.map { .integer(Int($0.sequence)) } ?? .null : .null
        return .json(200, ["documents": .array(documents.map(object)), "next_before": next])
    }

    static func object(_ document: IndexedDocument) -> JSONValue {
        .object([
            "id": .string(document.id), "path": .string(document.path), "title": document.title.map(JSONValue.string) ?? .null,
            "topic": document.topic.map(JSONValue.string) ?? .null, "topic_label": document.topicLabel.map(JSONValue.string) ?? .null,
            "alerts": .array(document.alerts.map(JSONValue.string)), "time": .string(Timestamp.format(document.time)),
            "sequence": .integer(Int(document.sequence)), "result": .string("/documents/\(HTML.urlComponent(document.id))"),
        ])
    }

    private static func limit(_ query: [String: String], default value: Int, most: Int) -> Int? {
        guard let text = query["limit"] else { return value }
        guard let number = Int(text), (1...most).contains(number) else { return nil }
        return number
    }

    private static func badLimit(_ most: Int) -> ControlResponse {
        .error(400, "bad_limit", "limit must be a whole number from 1 to \(most)")
    }
}
