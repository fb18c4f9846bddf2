/// One sentence: its tokens and its UTF-8 byte range in the text it was split from.
public struct Sentence: Sendable, Hashable {
    /// Indices into the token array the sentence was split from.
    public var tokenRange: Range<Int>
    /// UTF-8 byte range, first token start to last token end.
    public var byteRange: Range<Int>
    /// Index of the paragraph holding the sentence.
    public var paragraph: Int

    public init(tokenRange: Range<Int>, byteRange: Range<Int>, paragraph: Int) {
        self.tokenRange = tokenRange
        self.byteRange = byteRange
        self.paragraph = paragraph
    }
}
