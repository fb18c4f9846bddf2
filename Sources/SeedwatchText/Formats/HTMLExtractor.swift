/// Lines of an HTML document: visible text by block, page furniture dropped.
///
/// A forgiving scanner rather than a parser: it never fails. `script`, `style` and similar raw-text
/// elements are skipped to their end tag; `nav`, `header`, `footer`, `aside`, `form` (and `head`)
/// are skipped with their content; block elements (`p`, `div`, `li`, `h1`…) start a new line;
/// entities are decoded; text inside `a` counts toward the line's link density, which the
/// boilerplate classifier uses. A stray "<" that opens no tag is text. An unclosed skipped element
/// ends at `</body>` or `</html>`.
public enum HTMLExtractor {
    public static func lines(of text: String) -> [SourceLine] {
        extract(text).lines
    }

    /// The lines, and the text of the first `<title>` element (in `<head>` or not), whitespace
    /// collapsed and entities decoded; nil when there is none or it is empty.
    public static func extract(_ text: String) -> (lines: [SourceLine], title: String?) {
        withUTF8Buffer(text) { bytes in
            var state = HTMLScanState()
            state.scan(bytes)
            state.flush(block: true)
            return (state.lines, state.documentTitle())
        }
    }

    static let rawText: Set<String> = ["script", "style", "textarea", "noscript", "template", "svg", "math", "iframe"]
    static let skipped: Set<String> = ["nav", "header", "footer", "aside", "form", "head", "button", "select", "menu", "dialog"]
    static let blocks: Set<String> = [
        "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
        "td", "th", "section", "article", "main", "figure", "figcaption", "dd", "dt", "dl", "hr", "title",
        "body", "html", "caption", "address", "details", "summary", "tbody", "thead",
    ]
}

/// The scanner's state: the line being built and the lines done.
struct HTMLScanState {
    var lines: [SourceLine] = []
    var current: [UInt8] = []
    var linkBytes = 0
    var lineNumber = 1
    var currentLine = 0
    var pendingBlock = true
    var linkDepth = 0
    var skipName: String?
    var skipDepth = 0
    /// Heading level (1–6) of the element the current line is in, 0 outside headings.
    var headingLevel = 0
    /// The `<title>` text being read, and whether reading is over (only the first counts).
    var titleBytes: [UInt8] = []
    var inTitle = false
    var titleDone = false

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte == 0x3C, let tag = HTMLTag.parse(bytes, at: i) {
                countNewlines(bytes, i..<tag.end)
                handle(tag, bytes)
                i = tag.end
                if tag.isOpening && !tag.selfClosing && HTMLExtractor.rawText.contains(tag.name) {
                    i = skipRawText(bytes, from: i, name: tag.name)
                }
                continue
            }
            if byte == 0x0A { lineNumber += 1 }
            if inTitle && titleBytes.count < 4096 { titleBytes.append(byte) }
            if skipName == nil { appendText(byte) }
            i += 1
        }
    }

    mutating func handle(_ tag: HTMLTag, _ bytes: UnsafeBufferPointer<UInt8>) {
        // `<title>` usually sits in the skipped `<head>`, so it is read before skipping applies.
        if tag.name == "title" && !titleDone {
            if tag.isOpening && !tag.selfClosing {
                inTitle = true
            } else if !tag.isOpening && inTitle {
                inTitle = false
                titleDone = true
            }
        }
        if let name = skipName {
            if tag.name == name { skipDepth += tag.isOpening ? (tag.selfClosing ? 0 : 1) : -1 }
            if skipDepth <= 0 || (!tag.isOpening && (tag.name == "body" || tag.name == "html")) {
                skipName = nil
                skipDepth = 0
                pendingBlock = true
            }
            return
        }
        if tag.isOpening && !tag.selfClosing && HTMLExtractor.skipped.contains(tag.name) {
            flush(block: true)
            skipName = tag.name
            skipDepth = 1
            return
        }
        if tag.name == "a" { linkDepth = max(0, linkDepth + (tag.isOpening ? 1 : -1)) }
        if tag.name == "br" { flush(block: false) }
        if HTMLExtractor.blocks.contains(tag.name) {
            flush(block: true)
            headingLevel = tag.isOpening ? Self.headingLevel(tag.name) : 0
        }
        if tag.name == "img" || tag.name == "td" || tag.name == "th" { appendText(0x20) }
    }

    mutating func appendText(_ byte: UInt8) {
        let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
        if isSpace {
            if let last = current.last, last != 0x20 { current.append(0x20) }
            return
        }
        if current.isEmpty { currentLine = lineNumber }
        current.append(byte)
        if linkDepth > 0 { linkBytes += 1 }
    }

    mutating func flush(block: Bool) {
        defer {
            current.removeAll(keepingCapacity: true)
            linkBytes = 0
            if block { pendingBlock = true }
        }
        let decoded = HTMLEntities.decodeAll(String(decoding: current, as: UTF8.self))
        let text = PlainTextExtractor.trim(Substring(TextNormalizer.normalize(decoded)))
        guard !text.isEmpty else { return }
        let visible = max(1, current.count(where: { $0 != 0x20 }))
        lines.append(SourceLine(
            text: String(text), lineNumber: max(1, currentLine),
            linkDensity: min(1, Double(linkBytes) / Double(visible)), startsBlock: pendingBlock, headingLevel: headingLevel
        ))
        pendingBlock = false
    }

    /// 1–6 for `h1`…`h6`, else 0.
    static func headingLevel(_ name: String) -> Int {
        let utf8 = Array(name.utf8)
        guard utf8.count == 2, utf8[0] == 0x68, utf8[1] >= 0x31, utf8[1] <= 0x36 else { return 0 }
        return Int(utf8[1] - 0x30)
    }

    /// The first `<title>`'s text, decoded and trimmed like a line; nil when empty.
    func documentTitle() -> String? {
        let decoded = HTMLEntities.decodeAll(String(decoding: titleBytes, as: UTF8.self))
        let collapsed = TextNormalizer.normalize(decoded).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }

    mutating func countNewlines(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        for k in range where bytes[k] == 0x0A { lineNumber += 1 }
    }

    /// Skips to the end tag of a raw-text element (case-insensitive), or to the end of input.
    mutating func skipRawText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, name: String) -> Int {
        let needle = Array(("</" + name).utf8)
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x0A { lineNumber += 1 }
            if bytes[i] == 0x3C && i + needle.count <= bytes.count {
                var match = true
                for k in 0..<needle.count where bytes[i + k] | (k >= 2 ? 0x20 : 0) != needle[k] {
                    match = false
                    break
                }
                if match, let tag = HTMLTag.parse(bytes, at: i) { return tag.end }
            }
            i += 1
        }
        return i
    }
}
