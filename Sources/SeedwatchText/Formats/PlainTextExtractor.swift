/// Lines of a plain-text document: non-blank lines, trimmed, each noting a preceding blank line.
public enum PlainTextExtractor {
    public static func lines(of text: String) -> [SourceLine] {
        var out: [SourceLine] = []
        var sawBlank = true
        var number = 0
        for rawBytes in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let trimmed = trim(Substring(rawBytes))
            if trimmed.isEmpty {
                sawBlank = true
                continue
            }
            out.append(SourceLine(text: String(trimmed), lineNumber: number, startsBlock: sawBlank))
            sawBlank = false
        }
        return out
    }

    /// Trims whitespace (and stray control characters) at both ends.
    static func trim(_ text: Substring) -> Substring {
        var s = text
        while let first = s.unicodeScalars.first, first.properties.isWhitespace || first.value < 0x20 {
            s = s.dropFirst()
        }
        while let last = s.unicodeScalars.last, last.properties.isWhitespace || last.value < 0x20 {
            s = s.dropLast()
        }
        return s
    }
}
