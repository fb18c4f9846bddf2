/// The single entry point: raw document text in, `AnalyzedText` out.
///
/// Steps: normalise (NFC, quotes, dashes), extract lines for the format, remove boilerplate, join
/// lines into paragraphs, tokenize the clean text once, split sentences per paragraph. Every step is
/// linear in the input, never throws, and gives a valid (possibly empty) result for any string.
public struct TextAnalyzer: Sendable {
    public var classifier: BoilerplateClassifier
    public var splitter: SentenceSplitter
    /// When false, boilerplate removal is skipped (all extracted lines are kept).
    public var removesBoilerplate: Bool

    public init(removesBoilerplate: Bool = true, maxSentenceTokens: Int = 400) {
        self.classifier = BoilerplateClassifier()
        self.splitter = SentenceSplitter(maxTokens: maxSentenceTokens)
        self.removesBoilerplate = removesBoilerplate
    }

    /// Analyses `text` with the default settings.
    public static func analyze(text: String, format: TextFormat) -> AnalyzedText {
        TextAnalyzer().analyze(text: text, format: format)
    }

    public func analyze(text raw: String, format: TextFormat) -> AnalyzedText {
        let normalized = TextNormalizer.normalize(raw)
        let lines: [SourceLine]
        var htmlTitle: String?
        switch format {
        case .plain: lines = PlainTextExtractor.lines(of: normalized)
        case .markdown: lines = MarkdownExtractor.lines(of: normalized)
        case .html: (lines, htmlTitle) = HTMLExtractor.extract(normalized)
        }
        var (kept, removed) = removesBoilerplate ? classifier.classify(lines) : (lines, [])
        let found = TitleFinder.find(format: format, lines: lines, kept: kept, htmlTitle: htmlTitle)
        // A blank line followed the first-line title in the document; when the line after that was
        // boilerplate, the next kept line must still not join the title's paragraph.
        if let found, found.source == .firstLine, let line = found.line, let index = kept.firstIndex(of: line),
           index + 1 < kept.count {
            kept[index + 1].startsBlock = true
        }
        let (text, blocks) = Self.join(kept)
        let tokens = Tokenizer.tokenize(text)
        let sentences = splitter.split(text: text, tokens: tokens, paragraphs: blocks.map(\.range))
        var paragraphs: [Paragraph] = []
        paragraphs.reserveCapacity(blocks.count)
        var s = 0
        for (p, block) in blocks.enumerated() {
            let first = s
            while s < sentences.count && sentences[s].paragraph == p { s += 1 }
            paragraphs.append(Paragraph(byteRange: block.range, sentenceRange: first..<s, sourceLine: block.line))
        }
        var title: DocumentTitle?
        if let found {
            // A title line always starts a block, so it starts a paragraph: its sentences are that paragraph's.
            let keptIndex = found.line.flatMap { line in kept.firstIndex(of: line) }
            let paragraph = keptIndex.flatMap { index in blocks.firstIndex(where: { $0.firstLine == index }) }
            title = DocumentTitle(text: found.text, source: found.source,
                                  sentenceRange: paragraph.map { paragraphs[$0].sentenceRange } ?? 0..<0)
        }
        var emptyReason: String?
        if sentences.isEmpty {
            if lines.isEmpty {
                emptyReason = raw.isEmpty ? "empty input" : "no visible text"
            } else {
                emptyReason = "only boilerplate: all \(lines.count) lines removed"
            }
        }
        return AnalyzedText(
            format: format, text: text, paragraphs: paragraphs, sentences: sentences, tokens: tokens,
            removed: removed, emptyReason: emptyReason, title: title
        )
    }

    /// Joins kept lines into paragraphs: a line continues the previous one only when no block
    /// boundary separates them and the previous line looks hard-wrapped (long, no final
    /// punctuation); headings and one-line paragraphs stay apart.
    /// Each block gives its byte range, its source line and the index of its first line in `lines`.
    static func join(_ lines: [SourceLine]) -> (String, [(range: Range<Int>, line: Int, firstLine: Int)]) {
        var text = ""
        var blocks: [(range: Range<Int>, line: Int, firstLine: Int)] = []
        var start = 0
        var startLine = 0
        var firstLine = 0
        var previous: SourceLine?
        for (index, line) in lines.enumerated() {
            let continues = previous.map { prev in
                !line.startsBlock && prev.text.utf8.count >= 40 && !LineFeatures.endsSentence(prev.text)
            } ?? false
            if continues {
                text += " "
            } else {
                if previous != nil {
                    blocks.append((start..<text.utf8.count, startLine, firstLine))
                    text += "\n\n"
                }
                start = text.utf8.count
                startLine = line.lineNumber
                firstLine = index
            }
            text += line.text
            previous = line
        }
        if previous != nil { blocks.append((start..<text.utf8.count, startLine, firstLine)) }
        return (text, blocks)
    }
}
