/// A paragraph of the clean text: its bytes, its sentences, and where it came from.
public struct Paragraph: Sendable, Hashable {
    /// UTF-8 byte range in `AnalyzedText.text`.
    public var byteRange: Range<Int>
    /// Indices into `AnalyzedText.sentences`.
    public var sentenceRange: Range<Int>
    /// 1-based line number, in the original document, of the paragraph's first line.
    public var sourceLine: Int

    public init(byteRange: Range<Int>, sentenceRange: Range<Int>, sourceLine: Int) {
        self.byteRange = byteRange
        self.sentenceRange = sentenceRange
        self.sourceLine = sourceLine
    }
}

/// A document reduced to clean text, with its paragraphs, sentences, tokens and removed lines.
///
/// All offsets are UTF-8 byte offsets into `text` (the clean, normalised text: paragraphs joined
/// by a blank line), never into the raw input, whose markup and boilerplate are gone. The original
/// position of each paragraph and removed line is kept as a 1-based source line number.
public struct AnalyzedText: Sendable {
    public var format: TextFormat
    /// The clean text: kept paragraphs separated by "\n\n".
    public var text: String
    public var paragraphs: [Paragraph]
    public var sentences: [Sentence]
    public var tokens: [Token]
    /// Boilerplate lines removed, in source order, with reasons.
    public var removed: [RemovedLine]
    /// Why the clean text is empty ("empty input", "only boilerplate"), or nil when it is not.
    public var emptyReason: String?

    public init(
        format: TextFormat, text: String, paragraphs: [Paragraph], sentences: [Sentence], tokens: [Token],
        removed: [RemovedLine], emptyReason: String?
    ) {
        self.format = format
        self.text = text
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.tokens = tokens
        self.removed = removed
        self.emptyReason = emptyReason
    }

    public func text(of token: Token) -> Substring { token.text(in: text) }

    public func text(of sentence: Sentence) -> Substring { slice(sentence.byteRange) }

    public func text(of paragraph: Paragraph) -> Substring { slice(paragraph.byteRange) }

    /// The tokens of one sentence.
    public func tokens(of sentence: Sentence) -> ArraySlice<Token> {
        tokens[sentence.tokenRange.clamped(to: tokens.indices)]
    }

    /// The lower-cased text of a token (ASCII fast path), as stop words and stems expect.
    public func lowercased(_ token: Token) -> String {
        let slice = text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: token.start)..<text.utf8.index(text.utf8.startIndex, offsetBy: token.end)]
        if slice.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: slice.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return String(Substring(slice)).lowercased()
    }

    private func slice(_ range: Range<Int>) -> Substring {
        let utf8 = text.utf8
        guard range.lowerBound >= 0, range.upperBound <= utf8.count else { return "" }
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(lower, offsetBy: range.count)
        return text[lower..<upper]
    }
}
