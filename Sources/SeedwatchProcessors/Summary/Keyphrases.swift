import SeedwatchText

/// Top keyphrases: runs of one to three content words, scored by their stems' document counts.
///
/// Candidates are maximal runs of non-stop words inside a sentence (punctuation breaks a run),
/// cut to three words. A phrase scores the sum of its stems' frequencies, times 1.5 when it first
/// appears in the first fifth of the text (news leads name the subject), and counts each extra
/// occurrence. Phrases whose stems are all inside a better phrase are dropped.
enum Keyphrases {
    struct Phrase: Sendable, Equatable {
        var text: String
        var score: Double
    }

    static func extract(_ analysis: AnalyzedText, terms: SentenceTerms, limit: Int) -> [Phrase] {
        guard limit > 0 else { return [] }
        var byKey: [[Int32]: (text: String, score: Double, count: Int, first: Int)] = [:]
        let leadEnd = analysis.sentences.count / 5 + 1
        // Phrases come from the sentences the summary considered (bounded by its token limit).
        for (s, sentence) in analysis.sentences.prefix(terms.terms.count).enumerated() {
            var run: [(Token, Int32)] = []
            func flush() {
                if !run.isEmpty && run.count <= 4 {
                    for start in 0..<run.count {
                        let end = min(run.count, start + 3)
                        guard start == 0 || end == run.count else { continue }
                        record(Array(run[start..<end]), sentence: s)
                    }
                }
                run.removeAll(keepingCapacity: true)
            }
            func record(_ words: [(Token, Int32)], sentence: Int) {
                let key = words.map(\.1)
                let text = analysis.text[Self.range(analysis, words.first?.0, words.last?.0)]
                let score = key.reduce(0.0) { $0 + Double(terms.termFrequency[Int($1)]) } / Double(key.count).squareRoot()
                if var entry = byKey[key] {
                    entry.count += 1
                    byKey[key] = entry
                } else {
                    byKey[key] = (String(text), score, 1, sentence)
                }
            }
            for token in analysis.tokens(of: sentence) {
                guard token.kind == .word, token.end - token.start > 1 else { flush(); continue }
                let lower = analysis.lowercased(token)
                if StopWords.contains(lower) { flush(); continue }
                guard let id = terms.wordIDs[lower] else { flush(); continue }
                run.append((token, id))
            }
            flush()
        }
        let ranked = byKey.map { key, entry -> (key: [Int32], phrase: Phrase, first: Int) in
            let lead = entry.first < leadEnd ? 1.5 : 1.0
            let score = entry.score * lead * (1 + 0.25 * Double(entry.count - 1))
            return (key, Phrase(text: entry.text, score: (score * 100).rounded() / 100), entry.first)
        }.sorted { a, b in
            a.phrase.score != b.phrase.score ? a.phrase.score > b.phrase.score : a.phrase.text < b.phrase.text
        }
        var chosen: [(key: Set<Int32>, phrase: Phrase)] = []
        for candidate in ranked where chosen.count < limit {
            let key = Set(candidate.key)
            if chosen.contains(where: { key.isSubset(of: $0.key) || $0.key.isSubset(of: key) }) { continue }
            chosen.append((key, candidate.phrase))
        }
        return chosen.map(\.phrase)
    }

    static func range(_ analysis: AnalyzedText, _ first: Token?, _ last: Token?) -> Range<String.Index> {
        let utf8 = analysis.text.utf8
        guard let first, let last else { return analysis.text.startIndex..<analysis.text.startIndex }
        let lower = utf8.index(utf8.startIndex, offsetBy: first.start)
        let upper = utf8.index(utf8.startIndex, offsetBy: last.end)
        return lower..<upper
    }
}
