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
    /// The document's title, when one was found. Its sentences stay in `sentences` (entities and
    /// topics read them) but are not body sentences: see `isTitle(sentence:)`.
    public var title: DocumentTitle?

    public init(
        format: TextFormat, text: String, paragraphs: [Paragraph], sentences: [Sentence], tokens: [Token],
        removed: [RemovedLine], emptyReason: String?, title: DocumentTitle? = nil
    ) {
        self.format = format
        self.text = text
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.tokens = tokens
        self.removed = removed
        self.emptyReason = emptyReason
        self.title = title
    }

    /// Whether sentence `index` belongs to the title rather than the body.
    public func isTitle(sentence index: Int) -> Bool {
        title?.sentenceRange.contains(index) ?? false
    }

    /// Sentences of the body: all sentences but the title's.
    public var bodySentenceCount: Int {
        sentences.count - (title?.sentenceRange.clamped(to: sentences.indices).count ?? 0)
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
        withUTF8Buffer(text) { Self.lowercased(bytes: $0, token) }
    }

    /// Runs `body` over the clean text's UTF-8 bytes (no copy for native strings): token offsets
    /// index straight into the buffer.
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUTF8Buffer(text, body)
    }

    /// The lower-cased text of a token read from the clean text's UTF-8 bytes; for loops that
    /// visit many tokens inside one `withUTF8Bytes` call.
    public static func lowercased(bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> String {
        guard token.start >= 0, token.end <= bytes.count, token.start < token.end else { return "" }
        let slice = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        var ascii = true
        for byte in slice where byte >= 0x80 {
            ascii = false
            break
        }
        guard ascii else { return String(decoding: slice, as: UTF8.self).lowercased() }
        return String(unsafeUninitializedCapacity: slice.count) { buffer in
            for (i, byte) in slice.enumerated() {
                buffer[i] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            }
            return slice.count
        }
    }

    private func slice(_ range: Range<Int>) -> Substring {
        let utf8 = text.utf8
        guard range.lowerBound >= 0, range.upperBound <= utf8.count else { return "" }
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(lower, offsetBy: range.count)
        return text[lower..<upper]
    }
}
