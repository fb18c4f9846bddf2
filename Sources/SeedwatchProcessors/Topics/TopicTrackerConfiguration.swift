import SeedwatchCore

/// The tracker's thresholds and sizes; defaults were chosen by measurement on the dev streams
/// (see docs/TOPICS.md, "Tuning").
public struct TopicTrackerConfiguration: Sendable, Equatable {
    /// A document joins its nearest story when the cosine with the story centroid reaches this.
    public var joinSimilarity: Double = 0.25
    /// A weaker match still joins a story active within the last `burstWindowDocs` documents: the
    /// second and third reports of a breaking story often share few words with the first.
    public var burstSimilarity: Double = 0.05
    public var burstWindowDocs: Int = 200
    /// Terms kept per document vector.
    public var documentTerms: Int = 40
    /// The document's heaviest terms used to look up candidate stories.
    public var candidateTerms: Int = 10
    /// Terms kept per story centroid.
    public var storyTerms: Int = 200
    /// Most recent stories kept per index term: bounds the candidates per document.
    public var postingsPerTerm: Int = 24
    /// Stories kept in memory; the least recently active ones are forgotten first.
    public var maxStories: Int = 5_000
    /// How much more a headline (the first line) counts than a body term.
    public var titleWeight: Double = 3
    /// How much an entity (from the entities processor) counts relative to a word.
    public var entityWeight: Double = 1.5
    /// A document adds evidence for a new theme when its best theme similarity is below this share of
    /// that theme's typical member similarity.
    public var themeNovelRatio: Double = 0.35
    /// Typical member similarity assumed for the first theme.
    public var themeInitialSimilarity: Double = 0.2
    /// Weight of the newest member in a theme's moving average of member similarity.
    public var themeSimilarityDecay: Double = 0.02
    /// A theme left by a shift is merged into an older theme whose centroid is at least this close
    /// (1 disables merging).
    public var themeMergeSimilarity: Double = 1
    /// A shift to a known theme whose centroid is at least this close to the current theme's is
    /// not raised: the two themes are one category split in two, and they are merged instead.
    public var themeFlipMergeSimilarity: Double = 0.1
    /// Two novel documents agree on a new theme when their cosine reaches this.
    public var themePairSimilarity: Double = 0.02
    /// Accumulated margin (similarity over typical member similarity, against the current theme)
    /// at which the recent documents shift to another known theme.
    public var shiftEvidence: Double = 0.7
    /// Accumulated shortfall below `themeNovelRatio` at which the recent documents open a new theme.
    public var shiftNovelEvidence: Double = 0.2
    /// The last documents of the evidence that open or join the new theme; a new theme needs this many.
    public var shiftWindowDocs: Int = 2
    /// Documents after a shift before the next one can be raised.
    public var shiftCooldownDocs: Int = 2
    /// A theme is split in two when 2-means over the centroids of its recent runs (`themeRunDocs`
    /// consecutive members each) finds two groups whose centroids' cosine is below this (0 disables;
    /// see docs/TOPICS.md). A split the stream then flips across is undone (`themeSplitMaxFlips`).
    public var themeSplitSimilarity: Double = 0.15
    /// ... and when the mean cosine between runs of one group is at least this many times the mean
    /// cosine between runs of different groups.
    public var themeSplitContrast: Double = 0
    /// ... and when the groups take turns in time at least this often (2: A, B, A again).
    public var themeSplitSwitches: Int = 0
    /// Consecutive members summarised in one run centroid.
    public var themeRunDocs: Int = 6
    /// Run centroids kept per theme (oldest dropped first).
    public var themeRuns: Int = 24
    /// Terms kept per run centroid.
    public var themeRunTerms: Int = 150
    /// Runs each group needs before a split is considered.
    public var themeSplitMinRuns: Int = 3
    /// Flip-flop guard: a shift between the two halves of the latest split that comes within this
    /// many documents of the previous shift counts as a flip.
    public var themeSplitDwellDocs: Int = 6
    /// Flips between the halves (within `themeSplitWatchDocs` of the split) that undo it: the halves
    /// are merged back and that theme is never split again. 0 disables the guard.
    public var themeSplitMaxFlips: Int = 4
    /// Documents after a split during which its halves are watched for flips.
    public var themeSplitWatchDocs: Int = 60
    public var themeTerms: Int = 350
    /// Terms kept per document for the theme layer.
    public var themeDocumentTerms: Int = 400
    public var maxThemes: Int = 32
    /// Estimated word-pair overlap (MinHash Jaccard) at which two documents are near-duplicates.
    public var nearDuplicateSimilarity: Double = 0.8
    /// Fingerprints of this many recent documents are kept for near-duplicate look-up.
    public var nearDuplicateWindow: Int = 10_000
    /// The changed state is written to the store every this many documents; each document in between
    /// is logged (`TopicStateLog`) and replayed on start.
    public var checkpointDocs: Int = 100

    public init() {}

    /// The documented configuration keys, relative to `processors.topics.`.
    public static let configKeys: [ConfigKey] = {
        let d = TopicTrackerConfiguration()
        return [
            ConfigKey("join_similarity", .number(min: 0, max: 1), default: .number(d.joinSimilarity),
                      help: "cosine with a story centroid at which a document joins the story"),
            ConfigKey("burst_similarity", .number(min: 0, max: 1), default: .number(d.burstSimilarity),
                      help: "lower cosine that still joins a story active within burst_window_docs (one alert per burst)"),
            ConfigKey("burst_window_docs", .integer(min: 0, max: 1_000_000), default: .integer(d.burstWindowDocs),
                      help: "documents since a story last grew during which burst_similarity applies"),
            ConfigKey("document_terms", .integer(min: 1, max: 1_000), default: .integer(d.documentTerms),
                      help: "terms kept per document vector"),
            ConfigKey("candidate_terms", .integer(min: 1, max: 1_000), default: .integer(d.candidateTerms),
                      help: "a document's heaviest terms used to look up candidate stories"),
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
            ConfigKey("theme_novel_ratio", .number(min: 0, max: 10), default: .number(d.themeNovelRatio),
                      help: "share of the best theme's typical member similarity below which a document is evidence for a new theme"),
            ConfigKey("theme_initial_similarity", .number(min: 0, max: 1), default: .number(d.themeInitialSimilarity),
                      help: "typical member similarity assumed for the first theme"),
            ConfigKey("theme_similarity_decay", .number(min: 0, max: 1), default: .number(d.themeSimilarityDecay),
                      help: "weight of the newest member in a theme's moving average of member similarity"),
            ConfigKey("theme_merge_similarity", .number(min: 0, max: 1), default: .number(d.themeMergeSimilarity),
                      help: "centroid cosine at which a theme left by a shift merges into an older one (1 disables)"),
            ConfigKey("theme_flip_merge_similarity", .number(min: 0, max: 1), default: .number(d.themeFlipMergeSimilarity),
                      help: "centroid cosine at which a shift between two known themes merges them instead (1 disables)"),
            ConfigKey("theme_pair_similarity", .number(min: 0, max: 1), default: .number(d.themePairSimilarity),
                      help: "cosine at which novel documents agree on a new theme"),
            ConfigKey("shift_evidence", .number(min: 0, max: 100), default: .number(d.shiftEvidence),
                      help: "accumulated relative-similarity margin for another known theme that raises topic_shift"),
            ConfigKey("shift_novel_evidence", .number(min: 0, max: 100), default: .number(d.shiftNovelEvidence),
                      help: "accumulated shortfall below theme_novel_ratio that opens a new theme and raises topic_shift"),
            ConfigKey("shift_window_docs", .integer(min: 1, max: 1_000), default: .integer(d.shiftWindowDocs),
                      help: "last documents of the evidence that open or join the new theme (a new theme needs this many)"),
            ConfigKey("shift_cooldown_docs", .integer(min: 0, max: 1_000_000), default: .integer(d.shiftCooldownDocs),
                      help: "documents after a topic_shift before another can be raised"),
            ConfigKey("theme_split_similarity", .number(min: 0, max: 1), default: .number(d.themeSplitSimilarity),
                      help: "cosine below which two groups of a theme's recent runs split it in two (0 disables)"),
            ConfigKey("theme_split_contrast", .number(min: 0, max: 1_000), default: .number(d.themeSplitContrast),
                      help: "times the mean run cosine within each group must exceed the one between groups to split a theme"),
            ConfigKey("theme_split_switches", .integer(min: 0, max: 1_000), default: .integer(d.themeSplitSwitches),
                      help: "times the two groups of runs must alternate in time to split a theme (2: A, B, A)"),
            ConfigKey("theme_split_dwell_docs", .integer(min: 0, max: 1_000_000), default: .integer(d.themeSplitDwellDocs),
                      help: "a shift between the halves of the latest split within this many documents of the previous shift is a flip"),
            ConfigKey("theme_split_max_flips", .integer(min: 0, max: 1_000), default: .integer(d.themeSplitMaxFlips),
                      help: "flips between the halves of a split that merge them back and stop that theme splitting again (0: no guard)"),
            ConfigKey("theme_split_watch_docs", .integer(min: 0, max: 1_000_000), default: .integer(d.themeSplitWatchDocs),
                      help: "documents after a split during which its halves are watched for flips"),
            ConfigKey("theme_run_docs", .integer(min: 1, max: 1_000), default: .integer(d.themeRunDocs),
                      help: "consecutive theme members summarised in one run centroid for the split test"),
            ConfigKey("theme_runs", .integer(min: 2, max: 1_000), default: .integer(d.themeRuns),
                      help: "run centroids kept per theme for the split test"),
            ConfigKey("theme_run_terms", .integer(min: 1, max: 10_000), default: .integer(d.themeRunTerms),
                      help: "terms kept per run centroid"),
            ConfigKey("theme_split_min_runs", .integer(min: 1, max: 1_000), default: .integer(d.themeSplitMinRuns),
                      help: "runs each group needs before a theme is split"),
            ConfigKey("theme_terms", .integer(min: 1, max: 100_000), default: .integer(d.themeTerms),
                      help: "terms kept per theme centroid"),
            ConfigKey("theme_document_terms", .integer(min: 1, max: 10_000), default: .integer(d.themeDocumentTerms),
                      help: "terms kept per document for the theme (shift) layer"),
            ConfigKey("max_themes", .integer(min: 2, max: 10_000), default: .integer(d.maxThemes),
                      help: "themes remembered; the least recently active are forgotten first"),
            ConfigKey("near_duplicate_similarity", .number(min: 0, max: 1), default: .number(d.nearDuplicateSimilarity),
                      help: "estimated word-pair overlap (MinHash) at which a document is a near-duplicate (1: exact copies only)"),
            ConfigKey("near_duplicate_window", .integer(min: 1, max: 10_000_000), default: .integer(d.nearDuplicateWindow),
                      help: "recent documents kept for near-duplicate look-up"),
            ConfigKey("checkpoint_docs", .integer(min: 1, max: 1_000_000), default: .integer(d.checkpointDocs),
                      help: "documents between checkpoints of the tracker's state (between them each document writes one log row, replayed on start)"),
        ]
    }()

    /// Reads the keys of the `processors.topics.` scope.
    public init(_ config: ScopedConfiguration) {
        joinSimilarity = config.number("join_similarity")
        burstSimilarity = config.number("burst_similarity")
        burstWindowDocs = config.integer("burst_window_docs")
        documentTerms = max(1, config.integer("document_terms"))
        candidateTerms = max(1, config.integer("candidate_terms"))
        storyTerms = max(1, config.integer("story_terms"))
        postingsPerTerm = max(1, config.integer("postings_per_term"))
        maxStories = max(1, config.integer("max_stories"))
        titleWeight = config.number("title_weight")
        entityWeight = config.number("entity_weight")
        themeNovelRatio = config.number("theme_novel_ratio")
        themePairSimilarity = config.number("theme_pair_similarity")
        themeMergeSimilarity = config.number("theme_merge_similarity")
        themeFlipMergeSimilarity = config.number("theme_flip_merge_similarity")
        themeInitialSimilarity = config.number("theme_initial_similarity")
        themeSimilarityDecay = config.number("theme_similarity_decay")
        shiftEvidence = config.number("shift_evidence")
        shiftNovelEvidence = config.number("shift_novel_evidence")
        shiftWindowDocs = max(1, config.integer("shift_window_docs"))
        shiftCooldownDocs = max(0, config.integer("shift_cooldown_docs"))
        themeSplitSimilarity = config.number("theme_split_similarity")
        themeSplitContrast = config.number("theme_split_contrast")
        themeSplitSwitches = max(0, config.integer("theme_split_switches"))
        themeRunDocs = max(1, config.integer("theme_run_docs"))
        themeRuns = max(2, config.integer("theme_runs"))
        themeRunTerms = max(1, config.integer("theme_run_terms"))
        themeSplitMinRuns = max(1, config.integer("theme_split_min_runs"))
        themeSplitDwellDocs = max(0, config.integer("theme_split_dwell_docs"))
        themeSplitMaxFlips = max(0, config.integer("theme_split_max_flips"))
        themeSplitWatchDocs = max(0, config.integer("theme_split_watch_docs"))
        themeTerms = max(1, config.integer("theme_terms"))
        themeDocumentTerms = max(1, config.integer("theme_document_terms"))
        maxThemes = max(2, config.integer("max_themes"))
        nearDuplicateSimilarity = config.number("near_duplicate_similarity")
        nearDuplicateWindow = max(1, config.integer("near_duplicate_window"))
        checkpointDocs = max(1, config.integer("checkpoint_docs"))
    }
}
