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
