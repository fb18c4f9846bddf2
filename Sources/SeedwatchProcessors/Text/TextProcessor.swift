import SeedwatchCore
import SeedwatchText

/// Cleans each document once for every processor downstream: format extraction, boilerplate
/// removal, the title, paragraphs, sentences and tokens.
///
/// Downstream processors declare `.required("text")` and read the analysis with
/// `input.output(of: "text", as: TextResult.self)?.analysis`, so the text is parsed once per
/// document however many processors use it.
public struct TextProcessor: Processor, ProcessorFactory {
    public static let processorName = "text"
    public static let summary = "clean text: markup and boilerplate removed, paragraphs and sentences"
    /// Stateless: a reload replaces it with one made from the new configuration.
    public static let appliesConfigurationOnReload = true
    public static let configKeys: [ConfigKey] = [
        ConfigKey("remove_boilerplate", .bool, default: .bool(true),
                  help: "drop share buttons, bylines, comment forms, related-post blocks, copyright lines"),
        ConfigKey("max_sentence_tokens", .integer(min: 8, max: 100_000), default: .integer(400),
                  help: "a sentence longer than this many tokens is cut, keeping later stages linear"),
        ConfigKey("include_clean_text", .bool, default: .bool(true),
                  help: "write the clean text into results.text (counts and removed lines are always written)"),
    ]

    public static func make(_ context: ProcessorContext) throws -> any Processor {
        TextProcessor(
            analyzer: TextAnalyzer(
                removesBoilerplate: context.config.bool("remove_boilerplate"),
                maxSentenceTokens: context.config.integer("max_sentence_tokens")
            ),
            includesCleanText: context.config.bool("include_clean_text")
        )
    }

    public let name = Self.processorName
    public var analyzer: TextAnalyzer
    public var includesCleanText: Bool

    public init(analyzer: TextAnalyzer = TextAnalyzer(), includesCleanText: Bool = true) {
        self.analyzer = analyzer
        self.includesCleanText = includesCleanText
    }

    public func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        analyze(input.document)
    }

    /// The synchronous core, for evaluation commands and tests.
    public func analyze(_ document: Document) -> TextResult {
        let format = TextFormat(rawValue: document.format.rawValue) ?? .plain
        return TextResult(analysis: analyzer.analyze(text: document.text, format: format), includesCleanText: includesCleanText)
    }
}

/// The `text` result: the full analysis for downstream processors, a compact record in the outbox.
public struct TextResult: ProcessorOutput {
    /// Paragraphs, sentences and tokens; not written to the outbox.
    public var analysis: AnalyzedText
    public var includesCleanText: Bool

    public init(analysis: AnalyzedText, includesCleanText: Bool = true) {
        self.analysis = analysis
        self.includesCleanText = includesCleanText
    }

    enum CodingKeys: String, CodingKey {
        case format, text, characters, paragraphs, sentences, words, removed, title
        case titleSource = "title_source"
        case removedCount = "removed_count"
        case emptyReason = "empty_reason"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(analysis.format.rawValue, forKey: .format)
        if includesCleanText { try c.encode(analysis.text, forKey: .text) }
        try c.encode(analysis.text.count, forKey: .characters)
        try c.encode(analysis.paragraphs.count, forKey: .paragraphs)
        // Body sentences: the title is not one.
        try c.encode(analysis.bodySentenceCount, forKey: .sentences)
        try c.encode(analysis.tokens.count(where: { $0.kind != .punctuation }), forKey: .words)
        try c.encode(analysis.removed.count, forKey: .removedCount)
        try c.encode(analysis.removed.map(RemovedRecord.init), forKey: .removed)
        try c.encodeIfPresent(analysis.emptyReason, forKey: .emptyReason)
        try c.encodeIfPresent(analysis.title?.text, forKey: .title)
        try c.encodeIfPresent(analysis.title?.source.rawValue, forKey: .titleSource)
    }

    /// One removed line in the outbox; long lines are shortened so the record stays compact.
    struct RemovedRecord: Encodable {
        var line: Int
        var reason: String
        var text: String

        init(_ removed: RemovedLine) {
            line = removed.line
            reason = removed.reason.rawValue
            text = removed.text.count > 160 ? String(removed.text.prefix(157)) + "..." : removed.text
        }
    }
}
