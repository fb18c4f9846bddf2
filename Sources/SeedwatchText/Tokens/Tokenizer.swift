/// Splits text into word, number and punctuation tokens with UTF-8 byte offsets.
///
/// One pass over the bytes, ASCII fast path, no allocation per token. Rules chosen for news text:
/// inner apostrophes and hyphens stay inside a word ("don't", "high-speed"), inner "." and ","
/// stay inside a number ("1.13", "1,510"), single-letter dotted abbreviations keep their dots
/// ("U.S.", "e.g."), and scripts written without spaces (CJK, Thai) give one token per character.
public enum Tokenizer {
    public static func tokenize(_ text: String) -> [Token] {
        withUTF8Buffer(text) { tokenize(bytes: $0, base: 0) }
    }

    /// Tokenizes a slice of a larger buffer; offsets are relative to the buffer start.
    static func tokenize(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil, base: Int) -> [Token] {
        var tokens: [Token] = []
        let lower = range?.lowerBound ?? 0
        let upper = range?.upperBound ?? bytes.count
        tokens.reserveCapacity((upper - lower) / 5)
        var i = lower
        while i < upper {
            let byte = bytes[i]
            if byte < 0x80 {
                // ASCII fast path: most news text never leaves it.
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    i += 1
                    continue
                }
                let isDigit = byte >= 0x30 && byte <= 0x39
                let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
                if !isDigit && !isLetter {
                    tokens.append(Token(start: i + base, end: i + 1 + base, kind: .punctuation))
                    i += 1
                    continue
                }
            }
            let (scalar, length) = decodeScalar(bytes, at: i)
            if ScalarClass.isSpace(scalar) {
                i += length
                continue
            }
            if ScalarClass.isUnspacedScript(scalar) {
                tokens.append(Token(start: i + base, end: i + length + base, kind: .word))
                i += length
                continue
            }
            let isDigit = ScalarClass.isDigit(scalar)
            if isDigit || ScalarClass.isLetter(scalar) {
                let end = scanWord(bytes, from: i + length, upper: upper, numeric: isDigit, firstLength: length)
                tokens.append(Token(start: i + base, end: end + base, kind: isDigit ? .number : .word))
                i = end
                continue
            }
            tokens.append(Token(start: i + base, end: i + length + base, kind: .punctuation))
            i += length
        }
        return tokens
    }

    /// Returns the end of the word or number starting before `from`.
    private static func scanWord(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, upper: Int, numeric: Bool, firstLength: Int
    ) -> Int {
        var i = start
        var segmentLength = 1  // letters since the last inner "."
        var dotted = false
        while i < upper {
            let byte = bytes[i]
            if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || (byte >= 0x30 && byte <= 0x39) {
                i += 1
                segmentLength += 1
                continue
            }
            let (scalar, length) = decodeScalar(bytes, at: i)
            if ScalarClass.isUnspacedScript(scalar) { break }
            if ScalarClass.isLetter(scalar) || ScalarClass.isDigit(scalar) {
                i += length
                segmentLength += 1
                continue
            }
            guard i + length < upper else {
                // A final "." closes a dotted abbreviation: "U.S." at the end of a sentence keeps it.
                if dotted && scalar == "." && segmentLength == 1 { i += 1 }
                break
            }
            let (next, _) = decodeScalar(bytes, at: i + length)
            let nextIsDigit = ScalarClass.isDigit(next)
            let nextIsLetter = ScalarClass.isLetter(next) && !ScalarClass.isUnspacedScript(next)
            let previous = bytes[i - 1]
            let previousIsDigit = previous >= 0x30 && previous <= 0x39
            switch scalar {
            case "'", "-":
                if nextIsLetter || nextIsDigit { i += 1; segmentLength = 0; continue }
            case ".":
                if numeric && previousIsDigit && nextIsDigit { i += 1; continue }
                if !numeric && segmentLength == 1 && nextIsLetter {
                    // "U.S", "e.g": one letter, a dot, one letter, a dot.
                    let afterNext = i + 2 < upper ? bytes[i + 2] : 0x20
                    if afterNext == 0x2E { i += 1; segmentLength = 0; dotted = true; continue }
                }
                if dotted && segmentLength == 1 { i += 1 }
            case ",":
                if numeric && previousIsDigit && nextIsDigit { i += 1; continue }
            default:
                break
            }
            break
        }
        return i
    }
}
