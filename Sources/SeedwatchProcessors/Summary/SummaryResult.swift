import SeedwatchCore

/// The `summary` result: chosen sentences in document order, and the top keyphrases.
public struct SummaryResult: ProcessorOutput, Equatable {
    /// One chosen sentence.
    public struct Item: Sendable, Codable, Equatable {
        /// Index of the sentence among the document's sentences (0-based, clean text, the title's included).
        public var index: Int
        /// The scorer's value: relative centrality times the length and position factors.
        public var score: Double
        public var text: String
    }

    /// One keyphrase, as first written in the text.
    public struct Keyphrase: Sendable, Codable, Equatable {
        public var text: String
        public var score: Double
    }

    public var method: String
    /// Number of body sentences in the document (the title is not one).
    public var sentenceCount: Int
    public var sentences: [Item]
    public var keyphrases: [Keyphrase]
    /// Why the summary is empty, when it is.
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case method, sentences, keyphrases, reason
        case sentenceCount = "sentence_count"
    }
}
