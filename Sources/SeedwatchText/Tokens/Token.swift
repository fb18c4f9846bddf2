/// One token: a kind and a UTF-8 byte range into the text that was tokenized.
///
/// Offsets rather than strings keep a token at two integers and a tag, so a 10 MB document does not
/// allocate ten million strings; `text(in:)` slices on demand. In `AnalyzedText` the offsets point
/// into `AnalyzedText.text`, the clean text; `Tokenizer.tokenize(_:)` uses the string it is given.
public struct Token: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        /// Letters, possibly with digits, inner apostrophes and hyphens, or a dotted abbreviation ("U.S.").
        case word
        /// Starts with a digit: "1.13", "1,510", "2005", "3rd", "1.13bn".
        case number
        /// Any other single visible scalar: punctuation, quotes, symbols.
        case punctuation
    }

    /// UTF-8 byte offset of the first byte.
    public var start: Int
    /// UTF-8 byte offset one past the last byte.
    public var end: Int
    public var kind: Kind

    public init(start: Int, end: Int, kind: Kind) {
        self.start = start
        self.end = end
        self.kind = kind
    }

    public var byteRange: Range<Int> { start..<end }
    public var isWordLike: Bool { kind != .punctuation }

    /// The token's text in the string it was tokenized from.
    public func text(in source: String) -> Substring {
        let utf8 = source.utf8
        guard start >= 0, end <= utf8.count, start <= end else { return "" }
        let lower = utf8.index(utf8.startIndex, offsetBy: start)
        let upper = utf8.index(lower, offsetBy: end - start)
        return source[lower..<upper]
    }
}
