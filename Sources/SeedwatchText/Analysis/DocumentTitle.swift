/// How a document's title was found.
public enum TitleSource: String, Sendable, Codable, CaseIterable {
    /// Plain text (or Markdown without a `#` heading): a first line with no sentence-final
    /// punctuation and a blank line after it, as a headline is written above its article.
    case firstLine = "first_line"
    /// HTML: the first `<title>` element.
    case htmlTitle = "html_title"
    /// HTML without a `<title>`: the first `<h1>`.
    case htmlH1 = "html_h1"
    /// Markdown: the first level-1 heading (`# Title` or a `===` underline).
    case markdownHeading = "markdown_heading"
}

/// A document's title. It is not a body sentence: the summary never picks it, though it may use
/// it as a query.
public struct DocumentTitle: Sendable, Hashable {
    public var text: String
    public var source: TitleSource
    /// The title's sentences among `AnalyzedText.sentences` (its own paragraph); empty when the
    /// title is not in the clean text (an HTML `<title>` with no matching heading, a title removed
    /// as boilerplate).
    public var sentenceRange: Range<Int>

    public init(text: String, source: TitleSource, sentenceRange: Range<Int> = 0..<0) {
        self.text = text
        self.source = source
        self.sentenceRange = sentenceRange
    }
}

/// Finds the title among a document's extracted lines.
enum TitleFinder {
    /// Longest first line taken as a title: a headline, not an unpunctuated paragraph.
    static let maxFirstLineBytes = 300

    /// The title's text and source, and the extracted line it is (nil when it is not a line of
    /// the document, as for a `<title>` in `<head>`).
    static func find(format: TextFormat, lines: [SourceLine], kept: [SourceLine], htmlTitle: String?)
        -> (text: String, source: TitleSource, line: SourceLine?)? {
        switch format {
        case .html:
            let h1 = lines.first(where: { $0.headingLevel == 1 })
            if let htmlTitle {
                // The page's headline line, when it is there: the first h1, or a first line that
                // repeats the <title>.
                let line = h1 ?? kept.first.flatMap { $0.text == htmlTitle ? $0 : nil }
                return (htmlTitle, .htmlTitle, line)
            }
            return h1.map { ($0.text, .htmlH1, $0) }
        case .markdown:
            if let heading = lines.first(where: { $0.headingLevel == 1 }) {
                return (heading.text, .markdownHeading, heading)
            }
            return firstLine(lines: lines, kept: kept)
        case .plain:
            return firstLine(lines: lines, kept: kept)
        }
    }

    /// The first kept line, when a blank line follows it in the document, more text comes after,
    /// and it does not end like a sentence.
    static func firstLine(lines: [SourceLine], kept: [SourceLine]) -> (text: String, source: TitleSource, line: SourceLine?)? {
        guard let first = kept.first, first.text.utf8.count <= maxFirstLineBytes,
              !LineFeatures.endsSentence(first.text),
              let position = lines.firstIndex(of: first), position + 1 < lines.count,
              lines[position + 1].startsBlock else { return nil }
        return (first.text, .firstLine, first)
    }
}
