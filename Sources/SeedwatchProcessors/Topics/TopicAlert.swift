import SeedwatchCore

/// The kinds of topic alert, each with the fixed journal `MESSAGE_ID` that identifies it.
///
/// The IDs are part of the public contract (the journal catalog, `seedwatch alerts` filters and
/// people's `journalctl MESSAGE_ID=…` queries depend on them): never change one.
public enum TopicAlertClass: String, Sendable, Codable, CaseIterable {
    /// A document that starts a new story (first story detection).
    case newTopic = "new_topic"
    /// The dominant theme of the recent window of the stream changed.
    case topicShift = "topic_shift"

    /// 128-bit journal MESSAGE_ID: 32 lower-case hex digits, generated once.
    public var messageID: String {
        switch self {
        case .newTopic: TopicAlertMessageID.newTopic
        case .topicShift: TopicAlertMessageID.topicShift
        }
    }
}

/// The journal MESSAGE_IDs of the topic alerts, as constants for the journal writer and reader.
public enum TopicAlertMessageID {
    public static let newTopic = "9bcbd3d5bc234694848bff3038977e5e"
    public static let topicShift = "4494c7e18fd2492993959ba8dc404868"
    /// All alert IDs, for filtering the journal.
    public static let all: [String] = TopicAlertClass.allCases.map(\.messageID)
}

/// One alert raised by the topic tracker for one document: data, not a log line.
///
/// The journal writer maps these fields to `SEEDWATCH_ALERT`, `TOPIC_ID`, `TOPIC_LABEL`,
/// `PREVIOUS_TOPIC_ID`, `SIMILARITY` and `DOCUMENT_PATH`; `outbox/alerts.jsonl` takes the same.
public struct TopicAlert: Sendable, Codable, Equatable {
    public var alertClass: TopicAlertClass
    /// The topic (story) for `new_topic`, the theme for `topic_shift`.
    public var topicID: String
    /// Top terms (and entities) of that topic or theme.
    public var topicLabel: String
    /// The theme that was dominant before a `topic_shift`; the nearest earlier story for `new_topic`.
    public var previousTopicID: String?
    /// Cosine similarity behind the decision (the best match that was not good enough for `new_topic`).
    public var similarity: Double
    public var documentID: String
    public var documentPath: String

    public var messageID: String { alertClass.messageID }

    public init(
        alertClass: TopicAlertClass, topicID: String, topicLabel: String, previousTopicID: String?,
        similarity: Double, documentID: String, documentPath: String
    ) {
        self.alertClass = alertClass
        self.topicID = topicID
        self.topicLabel = topicLabel
        self.previousTopicID = previousTopicID
        self.similarity = similarity
        self.documentID = documentID
        self.documentPath = documentPath
    }

    enum CodingKeys: String, CodingKey {
        case alertClass = "class"
        case messageID = "message_id"
        case topicID = "topic_id"
        case topicLabel = "topic_label"
        case previousTopicID = "previous_topic_id"
        case similarity
        case documentID = "document_id"
        case documentPath = "document_path"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        alertClass = try c.decode(TopicAlertClass.self, forKey: .alertClass)
        topicID = try c.decode(String.self, forKey: .topicID)
        topicLabel = try c.decode(String.self, forKey: .topicLabel)
        previousTopicID = try c.decodeIfPresent(String.self, forKey: .previousTopicID)
        similarity = try c.decode(Double.self, forKey: .similarity)
        documentID = try c.decode(String.self, forKey: .documentID)
        documentPath = try c.decode(String.self, forKey: .documentPath)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alertClass, forKey: .alertClass)
        try c.encode(messageID, forKey: .messageID)
        try c.encode(topicID, forKey: .topicID)
        try c.encode(topicLabel, forKey: .topicLabel)
        try c.encodeIfPresent(previousTopicID, forKey: .previousTopicID)
        try c.encode(similarity, forKey: .similarity)
        try c.encode(documentID, forKey: .documentID)
        try c.encode(documentPath, forKey: .documentPath)
    }
}

/// The `topics` result of one document (`results.topics` in the outbox).
public struct TopicsResult: ProcessorOutput, Equatable {
    /// The story this document was assigned to, e.g. `topic-12`.
    public var topic: String
    public var label: String
    /// Cosine similarity to the story's centroid before this document joined (1 for a near-duplicate
    /// of a story member, the best rejected match for a new story).
    public var similarity: Double
    /// The coarse theme (category-like) the document counts toward in the shift window.
    public var theme: String?
    public var alerts: [TopicAlert]
    /// The id of the earlier document this one nearly duplicates.
    public var nearDuplicateOf: String?
    /// The document's place in the stream the tracker has seen (0 for the first): the arrival order
    /// the topic decisions were made in, one order for a whole cluster. Nil only for a result kept
    /// (to hand back after a kill) by a version that did not record it.
    public var sequence: Int?

    public init(
        topic: String, label: String, similarity: Double, theme: String?, alerts: [TopicAlert], nearDuplicateOf: String?, sequence: Int? = nil
    ) {
        self.topic = topic
        self.label = label
        self.similarity = similarity
        self.theme = theme
        self.alerts = alerts
        self.nearDuplicateOf = nearDuplicateOf
        self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey {
        case topic, label, similarity, theme, alerts, sequence
        case nearDuplicateOf = "near_duplicate_of"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(topic, forKey: .topic)
        try c.encode(label, forKey: .label)
        try c.encode(similarity, forKey: .similarity)
        try c.encodeIfPresent(theme, forKey: .theme)
        try c.encode(alerts, forKey: .alerts)
        // Always present (null when none) so consumers need not test for the key.
        try c.encode(nearDuplicateOf, forKey: .nearDuplicateOf)
        try c.encodeIfPresent(sequence, forKey: .sequence)
    }
}
