import SeedwatchCore

/// The tracker's thresholds and sizes; defaults were chosen by measurement on the dev streams
/// (see docs/TOPICS.md, "Tuning").
public struct TopicTrackerConfiguration: Sendable, Equatable {
    /// A document joins its nearest story when the cosine with the story centroid reaches this.
    public var joinSimilarity: Double = 0.25
    /// A weaker match still joins a story opened within `burstWindowDocs` documents: the second
    /// and third reports of a breaking story often share few words with the first.
    public var burstSimilarity: Double = 0.15
    public var burstWindowDocs: Int = 50
    /// Terms kept per document vector.
    public var documentTerms: Int = 40
    /// Terms kept per story centroid.
    public var storyTerms: Int = 80
    /// Most recent stories kept per index term: bounds the candidates per document.
    public var postingsPerTerm: Int = 24
    /// Stories kept in memory; the least recently active ones are forgotten first.
    public var maxStories: Int = 5_000
    /// How much more a headline (the first line) counts than a body term.
    public var titleWeight: Double = 3
    /// How much an entity (from the entities processor) counts relative to a word.
    public var entityWeight: Double = 1.5
    /// A document is "novel" to the theme layer when no theme reaches this cosine.
    public var themeNovelty: Double = 0.12
    /// Two novel documents agree on a new theme when their cosine reaches this.
    public var themePairSimilarity: Double = 0.05
    /// Consecutive documents that must vote for the same other theme before a `topic_shift`.
    public var shiftWindowDocs: Int = 2
    /// Documents after a shift before the next one can be raised.
    public var shiftCooldownDocs: Int = 4
    public var themeTerms: Int = 300
    public var maxThemes: Int = 32
    /// Simhash Hamming distance at or below which two documents are near-duplicates.
    public var nearDuplicateBits: Int = 3
    /// Fingerprints of this many recent documents are kept for near-duplicate look-up.
    public var nearDuplicateWindow: Int = 10_000
    /// Online document frequencies are written to the store every this many documents.
    public var checkpointDocs: Int = 100

    public init() {}

    /// The documented configuration keys, relative to `processors.topics.`.
    public static let configKeys: [ConfigKey] = {
        let d = TopicTrackerConfiguration()
        return [
            ConfigKey("join_similarity", .number(min: 0, max: 1), default: .number(d.joinSimilarity),
                      help: "cosine with a story centroid at which a document joins the story"),
            ConfigKey("burst_similarity", .number(min: 0, max: 1), default: .number(d.burstSimilarity),
                      help: "lower cosine that still joins a story opened within burst_window_docs (one alert per burst)"),
            ConfigKey("burst_window_docs", .integer(min: 0, max: 1_000_000), default: .integer(d.burstWindowDocs),
                      help: "documents after a story opens during which burst_similarity applies"),
            ConfigKey("document_terms", .integer(min: 1, max: 1_000), default: .integer(d.documentTerms),
                      help: "terms kept per document vector"),
            ConfigKey("story_terms", .integer(min: 1, max: 10_000), default: .integer(d.storyTerms),
                      help: "terms kept per story centroid"),
            ConfigKey("postings_per_term", .integer(min: 1, max: 10_000), default: .integer(d.postingsPerTerm),
                      help: "most recent stories kept per index term (bounds the work per document)"),
            ConfigKey("max_stories", .integer(min: 1, max: 10_000_000), default: .integer(d.maxStories),
                      help: "stories remembered; the least recently active are forgotten first"),
            ConfigKey("title_weight", .number(min: 0, max: 100), default: .number(d.titleWeight),
                      help: "weight of a headline (first line) term relative to a body term"),
            ConfigKey("entity_weight", .number(min: 0, max: 100), default: .number(d.entityWeight),
                      help: "weight of an entity from the entities processor relative to a word"),
            ConfigKey("theme_novelty", .number(min: 0, max: 1), default: .number(d.themeNovelty),
                      help: "cosine below which a document matches no known theme"),
            ConfigKey("theme_pair_similarity", .number(min: 0, max: 1), default: .number(d.themePairSimilarity),
                      help: "cosine at which novel documents agree on a new theme"),
            ConfigKey("shift_window_docs", .integer(min: 1, max: 1_000), default: .integer(d.shiftWindowDocs),
                      help: "consecutive documents voting for another theme before topic_shift"),
            ConfigKey("shift_cooldown_docs", .integer(min: 0, max: 1_000_000), default: .integer(d.shiftCooldownDocs),
                      help: "documents after a topic_shift before another can be raised"),
            ConfigKey("theme_terms", .integer(min: 1, max: 100_000), default: .integer(d.themeTerms),
                      help: "terms kept per theme centroid"),
            ConfigKey("max_themes", .integer(min: 2, max: 10_000), default: .integer(d.maxThemes),
                      help: "themes remembered; the least recently active are forgotten first"),
            ConfigKey("near_duplicate_bits", .integer(min: 0, max: 32), default: .integer(d.nearDuplicateBits),
                      help: "simhash Hamming distance for a near-duplicate (0: exact normalised copies only)"),
            ConfigKey("near_duplicate_window", .integer(min: 1, max: 10_000_000), default: .integer(d.nearDuplicateWindow),
                      help: "recent documents kept for near-duplicate look-up"),
            ConfigKey("checkpoint_docs", .integer(min: 1, max: 1_000_000), default: .integer(d.checkpointDocs),
                      help: "documents between writes of the online term statistics to the state store"),
        ]
    }()

    /// Reads the keys of the `processors.topics.` scope.
    public init(_ config: ScopedConfiguration) {
        joinSimilarity = config.number("join_similarity")
        burstSimilarity = config.number("burst_similarity")
        burstWindowDocs = config.integer("burst_window_docs")
        documentTerms = max(1, config.integer("document_terms"))
        storyTerms = max(1, config.integer("story_terms"))
        postingsPerTerm = max(1, config.integer("postings_per_term"))
        maxStories = max(1, config.integer("max_stories"))
        titleWeight = config.number("title_weight")
        entityWeight = config.number("entity_weight")
        themeNovelty = config.number("theme_novelty")
        themePairSimilarity = config.number("theme_pair_similarity")
        shiftWindowDocs = max(1, config.integer("shift_window_docs"))
        shiftCooldownDocs = max(0, config.integer("shift_cooldown_docs"))
        themeTerms = max(1, config.integer("theme_terms"))
        maxThemes = max(2, config.integer("max_themes"))
        nearDuplicateBits = max(0, config.integer("near_duplicate_bits"))
        nearDuplicateWindow = max(1, config.integer("near_duplicate_window"))
        checkpointDocs = max(1, config.integer("checkpoint_docs"))
    }
}
