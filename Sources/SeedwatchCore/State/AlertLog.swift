import FoundationEssentials

/// Where raised alerts are kept, in the order they were raised, after they went to the journal.
/// Implementations: `AlertFile` (`outbox/alerts.jsonl`, the daemon) and `MemoryAlertLog`; each
/// passes the contract tests in `Tests/SeedwatchStateTests/Contract`.
public protocol AlertLog: Sendable {
    /// Appends one alert; durable when the call returns.
    func append(_ alert: RaisedAlert, time: Date) throws
    /// Every alert kept, oldest first, as the JSON objects `AlertLine` makes.
    func alerts() throws -> [JSONValue]
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
        kept.withLock { $0.append(object) }
    }

    public func alerts() throws -> [JSONValue] {
        kept.withLock { $0 }
    }
}
