import FoundationEssentials
import SeedwatchCore
import SeedwatchText

/// An extractive summary of each document: the best sentences in document order, and keyphrases.
///
/// Reads the cleaned, sentence-split text from the `text` processor, so it never re-parses markup
/// and sees no boilerplate. Stateless and deterministic: the same text gives the same summary.
public struct SummaryProcessor: Processor, ProcessorFactory {
    public static let processorName = "summary"
    public static let summary = "extractive summary: central sentences in document order, top keyphrases"
    /// Stateless: a reload replaces it with one made from the new configuration.
    public static let appliesConfigurationOnReload = true
    public static let configKeys: [ConfigKey] = [
        ConfigKey("sentences", .integer(min: 1, max: 1_000), default: .integer(3),
                  help: "number of sentences in the summary (when ratio is 0)"),
        ConfigKey("ratio", .number(min: 0, max: 1), default: .number(0),
                  help: "summary length as a share of the document's sentences; 0 uses `sentences`"),
        ConfigKey("max_sentences", .integer(min: 1, max: 1_000), default: .integer(20),
                  help: "upper bound on the summary length when ratio is used"),
        ConfigKey("keyphrases", .integer(min: 0, max: 100), default: .integer(8),
                  help: "number of keyphrases to list"),
        ConfigKey("graph_limit", .integer(min: 2, max: 2_000), default: .integer(150),
                  help: "sentences in the similarity graph; later ones get a linear estimate (bounds cost)"),
        ConfigKey("token_limit", .integer(min: 100, max: 10_000_000), default: .integer(SummaryParameters().tokenLimit),
                  help: "the summary is chosen from the document's first this-many tokens (bounds cost on huge inputs)"),
        ConfigKey("position_weight", .number(min: 0, max: 10), default: .number(SummaryParameters().positionWeight),
                  help: "lead prior: sentence i's score is multiplied by 1 + weight/(i+1); 0 on BBC (measured), try 0.3 for wire copy"),
        ConfigKey("redundancy", .number(min: 0, max: 1), default: .number(SummaryParameters().redundancy),
                  help: "skip a sentence whose cosine similarity to a chosen one exceeds this (1 disables)"),
    ]

    public static func make(_ context: ProcessorContext) throws -> any Processor {
        var parameters = SummaryParameters()
        parameters.graphLimit = context.config.integer("graph_limit")
        parameters.redundancy = context.config.number("redundancy")
        parameters.tokenLimit = context.config.integer("token_limit")
        parameters.positionWeight = context.config.number("position_weight")
        return SummaryProcessor(
            sentences: context.config.integer("sentences"), ratio: context.config.number("ratio"),
            maxSentences: context.config.integer("max_sentences"), keyphrases: context.config.integer("keyphrases"),
            parameters: parameters
        )
    }

    public let name = Self.processorName
    public let dependencies: [ProcessorDependency] = [.required(TextProcessor.processorName)]
    public var sentences: Int
    public var ratio: Double
    public var maxSentences: Int
    public var keyphrases: Int
    public var summarizer: Summarizer

    public init(sentences: Int = 3, ratio: Double = 0, maxSentences: Int = 20, keyphrases: Int = 8,
                parameters: SummaryParameters = SummaryParameters()) {
        self.sentences = max(1, sentences)
        self.ratio = min(1, max(0, ratio))
        self.maxSentences = max(1, maxSentences)
        self.keyphrases = max(0, keyphrases)
        self.summarizer = Summarizer(parameters: parameters)
    }

    public func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        guard let text = input.output(of: TextProcessor.processorName, as: TextResult.self) else {
            throw ProcessorFailure(code: "missing_dependency", message: "the text processor's output is not available")
        }
        return summarize(text.analysis)
    }

    /// The number of sentences to pick from a document of `total` sentences.
    public func length(for total: Int) -> Int {
        guard ratio > 0 else { return sentences }
        return min(maxSentences, max(1, Int((ratio * Double(total)).rounded())))
    }

    /// The synchronous core, for evaluation commands and tests.
    public func summarize(_ analysis: AnalyzedText, count: Int? = nil) -> SummaryResult {
        let terms = summarizer.terms(analysis)
        let bodyCount = analysis.bodySentenceCount
        let picks = summarizer.select(terms, scores: summarizer.scores(terms), count: count ?? length(for: bodyCount))
        let items = picks.map { pick in
            SummaryResult.Item(index: pick.index, score: (pick.score * 10_000).rounded() / 10_000,
                               text: String(analysis.text(of: analysis.sentences[pick.index])))
        }
        let phrases = Keyphrases.extract(analysis, terms: terms, limit: keyphrases).map {
            SummaryResult.Keyphrase(text: $0.text, score: $0.score)
        }
        var reason: String?
        if items.isEmpty { reason = analysis.emptyReason ?? (bodyCount == 0 && analysis.title != nil ? "only a title" : "no sentences") }
        return SummaryResult(method: "textrank+frequency-centrality", sentenceCount: bodyCount,
                             sentences: items, keyphrases: phrases, reason: reason)
    }
}
