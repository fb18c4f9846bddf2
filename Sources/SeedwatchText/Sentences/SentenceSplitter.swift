/// Splits tokens into sentences, one paragraph at a time.
///
/// A sentence ends at ".", "!", "?", "...", or a CJK/Arabic terminal, followed by any closing
/// quotes or brackets, when the next token can start a sentence (capital letter, an opening quote
/// or bracket, a letter of a script without case). A "." does not end a sentence after a known
/// abbreviation ("Mr.", "Gen.", "Jan."), after an initial ("J."), or inside a number (the tokenizer
/// keeps "1.13" whole). After a dotted abbreviation ("U.S.") a sentence ends only when a typical
/// sentence opener follows ("The", "It"). Paragraph ends always end a sentence; sentences longer
/// than `maxTokens` are cut so that later stages stay linear on text without punctuation.
public struct SentenceSplitter: Sendable {
    public var maxTokens: Int

    public init(maxTokens: Int = 400) {
        self.maxTokens = max(8, maxTokens)
    }

    /// Sentences of `text` (already tokenized as `tokens`) within each paragraph byte range.
    public func split(text: String, tokens: [Token], paragraphs: [Range<Int>]) -> [Sentence] {
        withUTF8Buffer(text) { bytes in
            var sentences: [Sentence] = []
            var t = 0
            for (p, range) in paragraphs.enumerated() {
                while t < tokens.count && tokens[t].start < range.lowerBound { t += 1 }
                var first = t
                while t < tokens.count && tokens[t].end <= range.upperBound {
                    let boundary = endsSentence(at: t, tokens: tokens, limit: range.upperBound, bytes: bytes)
                    if let last = boundary ?? (t - first + 1 >= maxTokens ? t : nil) {
                        sentences.append(make(first..<(last + 1), tokens, p))
                        t = last + 1
                        first = t
                    } else {
                        t += 1
                    }
                }
                if first < t { sentences.append(make(first..<t, tokens, p)) }
            }
            return sentences
        }
    }

    /// Splits one string treated as a single paragraph.
    public func split(_ text: String) -> [Sentence] {
        split(text: text, tokens: Tokenizer.tokenize(text), paragraphs: [0..<text.utf8.count])
    }

    private func make(_ range: Range<Int>, _ tokens: [Token], _ paragraph: Int) -> Sentence {
        Sentence(tokenRange: range, byteRange: tokens[range.lowerBound].start..<tokens[range.upperBound - 1].end, paragraph: paragraph)
    }

    /// If token `t` ends a sentence, the index of the sentence's last token (closers included).
    private func endsSentence(at t: Int, tokens: [Token], limit: Int, bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let token = tokens[t]
        let isWordWithDot = token.kind == .word && bytes[token.end - 1] == 0x2E
        guard token.kind == .punctuation || isWordWithDot else { return nil }
        let (scalar, _) = decodeScalar(bytes, at: token.start)
        let isTerminal = isWordWithDot || Self.terminals.contains(scalar.value)
        guard isTerminal else { return nil }
        var last = t
        // Absorb more terminals ("?!", "...") and closers adjacent to them.
        while last + 1 < tokens.count, tokens[last + 1].end <= limit, tokens[last + 1].kind == .punctuation {
            let next = tokens[last + 1]
            let (s, _) = decodeScalar(bytes, at: next.start)
            let adjacent = next.start == tokens[last].end
            if Self.terminals.contains(s.value) || (adjacent && Self.closers.contains(s.value)) {
                last += 1
            } else {
                break
            }
        }
        guard last + 1 < tokens.count, tokens[last + 1].end <= limit else { return last }
        if Self.alwaysEnds.contains(scalar.value) { return last }
        guard canStart(tokens: tokens, at: last + 1, limit: limit, bytes: bytes) else { return nil }
        if isWordWithDot {
            return startsWithOpener(tokens[last + 1], bytes: bytes) ? last : nil
        }
        if scalar == "." && last == t && t > 0 && tokens[t - 1].end == token.start {
            let previous = tokens[t - 1]
            if previous.kind == .word {
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[previous.start..<previous.end]), as: UTF8.self)
                if Abbreviations.isAbbreviation(word) { return nil }
                if word.unicodeScalars.count == 1, let first = word.unicodeScalars.first, ScalarClass.isUppercase(first) {
                    return nil  // an initial: "George W. Bush"
                }
            }
        }
        return last
    }

    /// True when the token at `index` can open a sentence.
    private func canStart(tokens: [Token], at index: Int, limit: Int, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = index
        var skipped = 0
        while i < tokens.count, tokens[i].end <= limit, tokens[i].kind == .punctuation, skipped < 3 {
            let (s, _) = decodeScalar(bytes, at: tokens[i].start)
            guard Self.openers.contains(s.value) else { return false }
            i += 1
            skipped += 1
        }
        guard i < tokens.count, tokens[i].end <= limit else { return skipped > 0 }
        let (s, _) = decodeScalar(bytes, at: tokens[i].start)
        if tokens[i].kind == .number { return skipped > 0 }
        return ScalarClass.isUppercase(s) || ScalarClass.isUncasedLetter(s)
    }

    private func startsWithOpener(_ token: Token, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
        return Abbreviations.sentenceOpeners.contains(word)
    }

    static let terminals: Set<UInt32> = [0x2E, 0x21, 0x3F, 0x3002, 0xFF01, 0xFF1F, 0x061F, 0x06D4, 0x0964, 0xFF0E]
    /// Terminals of scripts where the next sentence need not be capitalised.
    static let alwaysEnds: Set<UInt32> = [0x3002, 0xFF01, 0xFF1F, 0x061F, 0x06D4, 0x0964]
    static let closers: Set<UInt32> = [0x22, 0x27, 0x29, 0x5D, 0x7D, 0x300D, 0x300F, 0xFF09]
    static let openers: Set<UInt32> = [0x22, 0x27, 0x28, 0x5B, 0x300C, 0x300E, 0xFF08, 0x2D]
}
