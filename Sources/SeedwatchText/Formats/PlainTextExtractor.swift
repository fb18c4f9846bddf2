/// Lines of a plain-text document: non-blank lines, trimmed, each noting a preceding blank line.
public enum PlainTextExtractor {
    public static func lines(of text: String) -> [SourceLine] {
        var out: [SourceLine] = []
        var sawBlank = true
        var number = 0
        withUTF8Buffer(text) { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                number += 1
                // ASCII spaces are trimmed on bytes; other whitespace by `trim` on the rare line
                // that starts or ends with it.
                var lower = start
                var upper = end
                while lower < upper && (bytes[lower] == 0x20 || bytes[lower] == 0x09 || bytes[lower] == 0x0D) { lower += 1 }
                while upper > lower && (bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 || bytes[upper - 1] == 0x0D) { upper -= 1 }
                if lower < upper {
                    var line = String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
                    if bytes[lower] >= 0x80 || bytes[upper - 1] >= 0x80 || bytes[lower] < 0x20 || bytes[upper - 1] < 0x20 {
                        line = String(trim(Substring(line)))
                    }
                    if !line.isEmpty {
                        out.append(SourceLine(text: line, lineNumber: number, startsBlock: sawBlank))
                        sawBlank = false
                    } else {
                        sawBlank = true
                    }
                } else {
                    sawBlank = true
                }
                start = end + 1
            }
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
