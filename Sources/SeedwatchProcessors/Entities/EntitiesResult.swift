import SeedwatchCore

/// The `entities` result: the document's entities, most salient first.
public struct EntitiesResult: ProcessorOutput, EntityNamesOutput, Equatable {
    public var entities: [EntityRecord]

    /// Each entity's canonical name: what the topics processor would read from the JSON form
    /// (records have `name` and `type`; mentions have `text` but no `type`).
    public var entityNames: [String] { entities.map(\.name) }
}

/// One entity of a document.
public struct EntityRecord: Encodable, Sendable, Equatable {
    /// The canonical name, the same in every document (from the cross-document registry).
    public var name: String
    /// PERSON, ORGANIZATION, LOCATION, MISC, DATE, MONEY or PERCENT.
    public var type: String
    /// Other forms seen in this document ("Sharaa", "al-Sharaa"), in order of first use.
    public var aliases: [String]
    public var mentions: [EntityMention]
    public var count: Int
    /// 0…1: mentions, earliness and presence in the headline, relative to the document's top entity.
    public var salience: Double
    /// Documents this entity has appeared in so far, this one included.
    public var documents: Int
}

/// Where an entity is mentioned: UTF-8 byte offsets, end exclusive, into the analysed clean text
/// (`AnalyzedText.text` of the text foundation: the `text` result), like every offset of seedwatch.
public struct EntityMention: Encodable, Sendable, Equatable {
    public var text: String
    public var start: Int
    public var end: Int
}
