/// The markup a text is written in, which decides how its plain lines are extracted.
public enum TextFormat: String, Sendable, Codable, CaseIterable {
    case plain
    case markdown
    case html
}

/// One line of text extracted from a document, before boilerplate removal.
///
/// Extraction turns every format into the same shape: lines of visible text with the 1-based
/// source line they start on, the share of their text inside links (HTML), and whether a blank
/// line or block boundary precedes them (a paragraph break).
public struct SourceLine: Sendable, Hashable {
    public var text: String
    /// 1-based line number in the original document.
    public var lineNumber: Int
    /// Share of the characters that sit inside links, 0 for plain text.
    public var linkDensity: Double
    /// A blank line or a block element boundary comes before this line.
    public var startsBlock: Bool
    /// 1–6 for a heading (Markdown `#`…`######` or a setext underline, HTML `h1`…`h6`), 0 otherwise.
    public var headingLevel: Int

    public init(text: String, lineNumber: Int, linkDensity: Double = 0, startsBlock: Bool = false, headingLevel: Int = 0) {
        self.text = text
        self.lineNumber = lineNumber
        self.linkDensity = linkDensity
        self.startsBlock = startsBlock
        self.headingLevel = headingLevel
    }
}
