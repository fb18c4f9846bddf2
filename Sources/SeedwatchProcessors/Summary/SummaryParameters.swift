/// The knobs of the scorer, with the values tuned on the BBC `dev` split (docs/SUMMARY.md).
public struct SummaryParameters: Sendable, Equatable {
    /// PageRank damping.
    public var damping: Double = 0.85
    /// Sentences in the similarity graph; later sentences get a linear degree estimate instead, so
    /// cost stays linear in document length.
    public var graphLimit: Int = 150
    /// Share of graph (PageRank) centrality in the blend; the rest is frequency centrality.
    public var graphWeight: Double = 0.8
    /// Frequency centrality divides the summed document counts of a sentence's words by its
    /// content-word count to this power (0: long sentences win, 1: a mean).
    public var frequencyExponent: Double = 0.25
    /// Exponent on the sentence's content-word count: favours informative sentences.
    public var lengthExponent: Double = 0.0
    /// Weight of the lead-position prior (0 disables it).
    public var positionWeight: Double = 0.0
    /// A candidate whose cosine similarity with a chosen sentence exceeds this is skipped (1 disables).
    public var redundancy: Double = 0.7
    /// Tokens of the document the summary is chosen from (the first ones); bounds the cost.
    public var tokenLimit: Int = 50_000
    /// Whether numbers count as content words.
    public var includeNumbers: Bool = true
    /// Sentences with fewer words than this are not chosen while others remain.
    public var minWords: Int = 4
    /// The title as a query: a sentence's score is multiplied by 1 + this × its cosine similarity
    /// to the title (0 disables). Off: every weight tried lowered BBC dev scores (docs/SUMMARY.md).
    public var titleWeight: Double = 0.0
    /// Whether the title's words count in the document statistics and the similarity graph. Off: counting
    /// it lowered BBC dev scores (R1 60.91 -> 60.46 at 3 sentences, docs/SUMMARY.md).
    public var titleInGraph: Bool = false

    public init() {}

    /// Sets a parameter by name (evaluation overrides); returns false for an unknown name.
    public mutating func set(_ name: String, _ value: Double) -> Bool {
        switch name {
        case "damping": damping = value
        case "graph_weight": graphWeight = value
        case "frequency_exponent": frequencyExponent = value
        case "graph_limit": graphLimit = Int(value)
        case "length_exponent": lengthExponent = value
        case "position_weight": positionWeight = value
        case "redundancy": redundancy = value
        case "min_words": minWords = Int(value)
        case "token_limit": tokenLimit = Int(value)
        case "include_numbers": includeNumbers = value != 0
        case "title_weight": titleWeight = value
        case "title_in_graph": titleInGraph = value != 0
        default: return false
        }
        return true
    }
}
