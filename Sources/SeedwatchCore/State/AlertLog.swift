import FoundationEssentials

/// Where raised alerts are kept, in the order they were raised, after they went to the journal.
/// Implementations: `AlertFile` (`outbox/alerts.jsonl`, the daemon) and `MemoryAlertLog`; each
/// passes the contract tests in `Tests/SeedwatchStateTests/Contract`.
public protocol AlertLog: Sendable {
    /// Appends one alert; durable when the call returns. An alert about a document that is
    /// already among the recent lines (same `AlertLine.identity`: raised again for a document
    /// processed again after a kill -9) is not appended a second time.
    func append(_ alert: RaisedAlert, time: Date) throws
    /// Every alert kept, oldest first, as the JSON objects `AlertLine` makes.
    func alerts() throws -> [JSONValue]
}

/// An alert log shared by several daemons, which says whether an alert was new to it.
public protocol SharedAlertLog: AlertLog {
    /// Appends the alert unless some node added it already; true when this node holds it (added
    /// now or before), false when another node raised it.
    func appendIfNew(_ alert: RaisedAlert, time: Date) throws -> Bool
}

/// The stored form of an alert, the same for every `AlertLog`: the alert's record with its
/// `class`, `message_id` and `time`, as one line of JSON with sorted keys.
public enum AlertLine {
    public static func object(_ alert: RaisedAlert, time: Date) -> JSONValue {
        var record: [String: JSONValue] = [:]
        if case let .object(members) = alert.record { record = members }
        record["class"] = .string(alert.alertClass)
        record["message_id"] = .string(alert.messageID)
        record["time"] = .string(Timestamp.format(time))
        return .object(record)
    }

    /// A record that JSON cannot hold (a non-finite number).
    public struct Unencodable: Error, Sendable, CustomStringConvertible {
        public var alertClass: String
        public var description: String { "the \(alertClass) alert cannot be encoded as JSON" }
    }

    /// What makes an alert the same alert raised again: its class, document and topic. Nil for
    /// an alert about no document, which is never taken for a repeat.
    public static func identity(_ alert: RaisedAlert) -> String? {
        identity(alertClass: alert.alertClass, record: alert.record)
    }

    /// The identity of a stored line (`object`'s form).
    public static func identity(ofLine line: JSONValue) -> String? {
        guard case let .string(alertClass)? = line["class"] else { return nil }
        return identity(alertClass: alertClass, record: line)
    }

    private static func identity(alertClass: String, record: JSONValue) -> String? {
        guard case let .string(document)? = record["document_id"] else { return nil }
        let topic: String = if case let .string(topic)? = record["topic_id"] { topic } else { "" }
        return [alertClass, document, topic].joined(separator: "\u{0}")
    }

    /// The line, without its newline; nil if the record cannot be encoded.
    public static func encoded(_ alert: RaisedAlert, time: Date) -> [UInt8]? {
        try? SortedJSONEncoder.encode(object(alert, time: time))
    }
}

/// Alerts kept in memory: for `seedwatch process` and tests.
public final class MemoryAlertLog: AlertLog {
    private let kept = Locked<[JSONValue]>([])

    public init() {}

    /// Kept as a reader of the file would see it (encoded and parsed back), so both logs agree.
    public func append(_ alert: RaisedAlert, time: Date) throws {
        guard let line = AlertLine.encoded(alert, time: time), let object = JSONValue.parse(line) else {
            throw AlertLine.Unencodable(alertClass: alert.alertClass)
        }
        let identity = AlertLine.identity(alert)
        kept.withLock { kept in
            if let identity, kept.contains(where: { AlertLine.identity(ofLine: $0) == identity }) { return }
            kept.append(object)
        }
    }

    public func alerts() throws -> [JSONValue] {
        kept.withLock { $0 }
    }
}
