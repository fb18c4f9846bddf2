/// An alert a processor raises about the stream (e.g. a new topic): the daemon writes it to the
/// journal with its own MESSAGE_ID and appends it to `outbox/alerts.jsonl`.
public struct RaisedAlert: Sendable, Equatable {
    /// The alert class, e.g. `new_topic`: the journal field `SEEDWATCH_ALERT`.
    public var alertClass: String
    /// 128-bit id in 32 lower-case hex digits, fixed per class (journal `MESSAGE_ID`).
    public var messageID: String
    /// One line for a person.
    public var message: String
    /// Extra journal fields (UPPER_SNAKE names), e.g. `TOPIC_ID`.
    public var fields: [String: String]
    /// The alert as one JSON object, for `alerts.jsonl`.
    public var record: JSONValue

    public init(alertClass: String, messageID: String, message: String, fields: [String: String], record: JSONValue) {
        self.alertClass = alertClass
        self.messageID = messageID
        self.message = message
        self.fields = fields
        self.record = record
    }
}

/// A processor output that carries alerts.
public protocol AlertRaising: ProcessorOutput {
    var raisedAlerts: [RaisedAlert] { get }
}
