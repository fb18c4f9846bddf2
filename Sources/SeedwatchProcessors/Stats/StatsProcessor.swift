import SeedwatchCore

/// Counts characters, words, sentences and paragraphs, and estimates reading time.
///
/// Works on the raw decoded text so it needs no other processor; it exists first of all to prove
/// the pipeline end to end.
public struct StatsProcessor: Processor, ProcessorFactory {
    public static let processorName = "stats"
    public static let summary = "characters, words, sentences, paragraphs and reading time"
    /// Stateless: a reload replaces it with one made from the new configuration.
    public static let appliesConfigurationOnReload = true
    public static let configKeys: [ConfigKey] = [
        ConfigKey("words_per_minute", .integer(min: 1, max: 10_000), default: .integer(230),
                  help: "reading speed used for reading_time_seconds"),
    ]

    public static func make(_ context: ProcessorContext) throws -> any Processor {
        StatsProcessor(wordsPerMinute: context.config.integer("words_per_minute"))
    }

    public let name = Self.processorName
    public var wordsPerMinute: Int

    public init(wordsPerMinute: Int = 230) {
        self.wordsPerMinute = max(1, wordsPerMinute)
    }

    public func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        TextStats.measure(input.document.text, wordsPerMinute: wordsPerMinute)
    }
}

/// The `stats` result.
public struct TextStats: ProcessorOutput, Equatable {
    public var characters: Int
    public var words: Int
    public var sentences: Int
    public var paragraphs: Int
    public var readingTimeSeconds: Int

    enum CodingKeys: String, CodingKey {
        case characters, words, sentences, paragraphs
        case readingTimeSeconds = "reading_time_seconds"
    }

    /// One pass over the Unicode scalars: linear in the text, no allocation per word.
    public static func measure(_ text: String, wordsPerMinute: Int) -> TextStats {
        var characters = 0
        var words = 0
        var sentences = 0
        var paragraphs = 0
        var nonEmptyLines = 0
        var sawBlankLine = false
        var inWord = false
        var lineHasText = false
        var paragraphOpen = false
        var pendingSentenceEnd = false
        var sentenceHasWords = false
        for scalar in text.unicodeScalars {
            characters += 1
            let isNewline = scalar == "\n"
            if isNewline {
                if !lineHasText {
                    paragraphOpen = false  // a blank line closes the paragraph
                    sawBlankLine = true
                }
                lineHasText = false
            } else if !Self.isWhitespace(scalar) {
                if !lineHasText {
                    nonEmptyLines += 1
                    if !paragraphOpen {
                        paragraphs += 1
                        paragraphOpen = true
                    }
                }
                lineHasText = true
            }
            let isWordScalar = Self.isWordScalar(scalar)
            if isWordScalar {
                if !inWord { words += 1 }
                inWord = true
                sentenceHasWords = true
                if pendingSentenceEnd { pendingSentenceEnd = false }
            } else if scalar == "'" || scalar == "\u{2019}" || scalar == "-" {
                continue  // inside a word: don't, well-known
            } else {
                inWord = false
            }
            if scalar == "." || scalar == "!" || scalar == "?" || scalar == "\u{3002}" {
                if sentenceHasWords {
                    sentences += 1
                    sentenceHasWords = false
                }
                pendingSentenceEnd = true
            } else if isNewline && !lineHasText && sentenceHasWords {
                // A paragraph without final punctuation (a headline) still counts as a sentence.
                sentences += 1
                sentenceHasWords = false
            }
        }
        if sentenceHasWords { sentences += 1 }
        // Text without blank lines uses one line per paragraph (as many web extractions do).
        if !sawBlankLine { paragraphs = nonEmptyLines }
        let seconds = Int((Double(words) * 60 / Double(wordsPerMinute)).rounded(.up))
        return TextStats(characters: characters, words: words, sentences: sentences, paragraphs: paragraphs, readingTimeSeconds: seconds)
    }

    // ASCII answered inline: the Unicode property look-ups were most of this processor's time
    // (a table search per scalar), and news text is mostly ASCII. Same answers as the properties.

    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A || (v >= 0x30 && v <= 0x39) }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
