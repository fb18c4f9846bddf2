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
        // Per distinct stem sequence: its score, where it first appears (bytes), how often.
        var byKey: [UInt64: (score: Double, start: Int, end: Int, count: Int, sentence: Int)] = [:]
        let leadEnd = analysis.sentences.count / 5 + 1
        var run: [Int] = []  // token indices of the current run of content words
        func record(_ lower: Int, _ upper: Int, sentence: Int) {
            var ids: [Int32] = []
            ids.reserveCapacity(3)
            var sum = 0.0
            for k in lower..<upper {
                let id = terms.tokenTerms[run[k]]
                ids.append(id)
                sum += Double(terms.termFrequency[Int(id)])
            }
            guard let key = Self.pack(ids) else { return }
            if byKey[key] != nil {
                byKey[key]?.count += 1
            } else {
                byKey[key] = (sum / Double(upper - lower).squareRoot(), analysis.tokens[run[lower]].start,
                              analysis.tokens[run[upper - 1]].end, 1, sentence)
            }
        }
        func flush(sentence: Int) {
            // Runs of up to three words are phrases; a run of four gives its first and last three;
            // longer runs are usually lists or headlines and are skipped.
            if run.count >= 1 && run.count <= 3 {
                record(0, run.count, sentence: sentence)
            } else if run.count == 4 {
                record(0, 3, sentence: sentence)
                record(1, 4, sentence: sentence)
            }
            run.removeAll(keepingCapacity: true)
        }
        // Phrases come from the sentences the summary considered (bounded by its token limit).
        for (s, sentence) in analysis.sentences.prefix(terms.terms.count).enumerated() {
            for t in sentence.tokenRange {
                let id = t < terms.tokenTerms.count ? terms.tokenTerms[t] : -1
                guard analysis.tokens[t].kind == .word, id >= 0 else { flush(sentence: s); continue }
                run.append(t)
            }
            flush(sentence: s)
        }
        let ranked = byKey.map { key, entry -> (key: [Int32], score: Double, start: Int, end: Int) in
            let lead = entry.sentence < leadEnd ? 1.5 : 1.0
            let score = entry.score * lead * (1 + 0.25 * Double(entry.count - 1))
            return (Self.unpack(key), (score * 100).rounded() / 100, entry.start, entry.end)
        }.sorted { a, b in a.score != b.score ? a.score > b.score : a.start < b.start }
        var chosen: [(key: Set<Int32>, phrase: Phrase)] = []
        for candidate in ranked where chosen.count < limit {
            let key = Set(candidate.key)
            if chosen.contains(where: { key.isSubset(of: $0.key) || $0.key.isSubset(of: key) }) { continue }
            let text = analysis.text[Self.range(analysis, candidate.start, candidate.end)]
            chosen.append((key, Phrase(text: String(text), score: candidate.score)))
        }
        return chosen.map(\.phrase)
    }

    /// Up to three term ids (each below 2^21 - 1) in one integer key, 21 bits each, 0 for none:
    /// hashing arrays was the cost.
    static func pack(_ ids: [Int32]) -> UInt64? {
        guard ids.count <= 3 else { return nil }
        var key: UInt64 = 0
        for (k, id) in ids.enumerated() {
            guard id >= 0, id < (1 << 21) - 1 else { return nil }
            key |= UInt64(id + 1) << (21 * UInt64(k))
        }
        return key
    }

    static func unpack(_ key: UInt64) -> [Int32] {
        (0..<3).compactMap { k -> Int32? in
            let value = (key >> (21 * UInt64(k))) & 0x1F_FFFF
            return value > 0 ? Int32(value - 1) : nil
        }
    }

    static func range(_ analysis: AnalyzedText, _ start: Int, _ end: Int) -> Range<String.Index> {
        let utf8 = analysis.text.utf8
        guard start >= 0, start <= end, end <= utf8.count else { return analysis.text.startIndex..<analysis.text.startIndex }
        let lower = utf8.index(utf8.startIndex, offsetBy: start)
        let upper = utf8.index(utf8.startIndex, offsetBy: end)
        return lower..<upper
    }
}
