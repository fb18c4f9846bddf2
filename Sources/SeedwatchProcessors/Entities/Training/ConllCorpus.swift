/// Sentences in the `token<TAB>tag` format of CoNLL-2003 and WNUT-17 (blank line between sentences).
public struct ConllSentence: Sendable, Equatable {
    public var tokens: [String]
    public var tags: [String]

    public init(tokens: [String], tags: [String]) {
        self.tokens = tokens
        self.tags = tags
    }
}

public enum ConllCorpus {
    /// Parses the text of a CoNLL file. The first column is the token, the last the tag; a line
    /// with one column is a token tagged `O`; `-DOCSTART-` lines are skipped.
    public static func parse(_ text: String) -> [ConllSentence] {
        var sentences: [ConllSentence] = []
        var current = ConllSentence(tokens: [], tags: [])
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !current.tokens.isEmpty { sentences.append(current) }
                current = ConllSentence(tokens: [], tags: [])
                continue
            }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            let token = String(columns.first ?? "")
            if token.hasPrefix("-DOCSTART-") { continue }
            current.tokens.append(token)
            current.tags.append(columns.count > 1 ? String(columns[columns.count - 1]) : "O")
        }
        if !current.tokens.isEmpty { sentences.append(current) }
        return sentences
    }
}

extension ConllCorpus {
    /// The documents of a CoNLL-2003 file whose `-DOCSTART-` lines are gone, as sentence ranges.
    ///
    /// A Reuters story starts with its headline, then perhaps a byline, then the dateline
    /// ("LONDON 1996-08-30", "AL-AIN , United Arab Emirates 1996-12-06"): a short sentence
    /// ending in a date starts a document one sentence before it (two with a byline: a short
    /// line in Title Case without final punctuation). In a file without datelines (WNUT-17's
    /// tweets) each sentence is a document of its own.
    public static func documents(_ sentences: [ConllSentence]) -> [Range<Int>] {
        var starts = [0]
        for (i, sentence) in sentences.enumerated() where i > 0 && sentence.tokens.count <= 15 {
            guard let last = sentence.tokens.last, isDate(last) else { continue }
            var start = i - 1
            let previous = sentences[i - 1].tokens
            if start > 0, previous.count <= 4, let end = previous.last, ![".", "!", "?"].contains(end),
               !previous.allSatisfy({ $0 == $0.uppercased() }) {
                start = i - 2
            }
            if let top = starts.last, start > top { starts.append(start) }
        }
        if starts.count == 1 { starts = Array(sentences.indices) }
        return starts.indices.map { k in starts[k]..<(k + 1 < starts.count ? starts[k + 1] : sentences.count) }
    }

    /// `1996-08-30`.
    private static func isDate(_ token: String) -> Bool {
        let scalars = Array(token.unicodeScalars)
        guard scalars.count == 10 else { return false }
        for (i, s) in scalars.enumerated() {
            if i == 4 || i == 7 {
                if s != "-" { return false }
            } else if !("0"..."9").contains(s) {
                return false
            }
        }
        return true
    }
}
