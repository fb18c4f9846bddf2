/// The general signals measured on a line: length, stop-word density, punctuation, case.
struct LineFeatures {
    var words: [String]  // lower-cased word tokens (numbers included)
    var wordCount: Int
    var stopWords: Int
    var letters: Int
    var hasAlphanumeric: Bool
    var endsWithTerminal: Bool
    var lower: String

    /// Lines longer than this are measured on their first `sampleBytes` only: boilerplate lines
    /// are short, and a 10 MB line must not be lower-cased and tokenized again just to learn that.
    static let sampleBytes = 600
    /// Lines longer than this skip tokenization: no pattern applies to them except the copyright
    /// phrases, which are matched on the sample, and they count as prose when they hold letters.
    static let longLineBytes = 320

    init(_ text: String) {
        if text.utf8.count > Self.longLineBytes {
            let sample = String(decoding: text.utf8.prefix(Self.sampleBytes), as: UTF8.self)
            lower = sample.lowercased()
            words = []
            wordCount = 1_000
            letters = sample.unicodeScalars.count(where: { ScalarClass.isLetter($0) })
            stopWords = letters >= 40 ? 2 : 0
            hasAlphanumeric = letters > 0 || sample.unicodeScalars.contains(where: ScalarClass.isDigit)
            endsWithTerminal = Self.endsSentence(text)
            return
        }
        let isLong = text.utf8.count > Self.sampleBytes
        let sample = isLong ? String(decoding: text.utf8.prefix(Self.sampleBytes), as: UTF8.self) : text
        lower = sample.lowercased()
        let tokens = Tokenizer.tokenize(lower)
        var words: [String] = []
        var stops = 0
        // The patterns look at the first 16 words; the stop-word signals need no more than 40.
        var seen = 0
        for token in tokens where token.kind != .punctuation {
            seen += 1
            if seen > 40 { break }
            let word = String(token.text(in: lower))
            if StopWords.contains(word) { stops += 1 }
            if words.count < 16 { words.append(word) }
        }
        self.words = words
        wordCount = tokens.count(where: { $0.kind != .punctuation }) + (isLong ? 1_000 : 0)
        stopWords = stops
        letters = sample.unicodeScalars.count(where: { ScalarClass.isLetter($0) }) + (isLong ? 1_000 : 0)
        hasAlphanumeric = wordCount > 0
        endsWithTerminal = Self.endsSentence(text)
    }

    /// A line that reads as running prose: enough words with function words among them, or a
    /// complete sentence (scripts without English stop words rely on length and punctuation).
    var isProse: Bool {
        if wordCount >= 8 && stopWords >= 2 { return true }
        if wordCount >= 8 && endsWithTerminal { return true }
        return letters >= 40 && endsWithTerminal
    }
}

extension LineFeatures {
    /// True when the line ends with sentence-final punctuation, possibly followed by closers.
    static func endsSentence(_ text: String) -> Bool {
        for scalar in text.unicodeScalars.reversed() {
            if scalar == "\"" || scalar == "'" || scalar == ")" || scalar == " " { continue }
            return SentenceSplitter.terminals.contains(scalar.value) || scalar == ":"
        }
        return false
    }
}
