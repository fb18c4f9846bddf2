import SeedwatchText

/// Each sentence as a bag of stemmed content-word ids, the representation every scorer uses.
///
/// Stop words, punctuation and one-letter words are dropped; the rest are lower-cased and Porter
/// stemmed, with stems memoised per document (news repeats its words). Ids are dense per document.
struct SentenceTerms {
    /// Sorted term ids (with repeats) per sentence.
    var terms: [[Int32]]
    /// Word count (stop words included) per sentence.
    var wordCounts: [Int]
    /// Number of sentences each term occurs in.
    var sentenceFrequency: [Int32]
    /// Occurrences of each term in the document.
    var termFrequency: [Int32]
    /// The stem of each id, for keyphrases.
    var stems: [String]
    /// The term id of every token of the considered sentences (index = token index), -1 for
    /// punctuation, stop words and skipped tokens: keyphrases read it instead of re-hashing words.
    var tokenTerms: [Int32]

    init(_ analysis: AnalyzedText, tokenLimit: Int, includeNumbers: Bool = true) {
        var ids: [String: Int32] = [:]
        // Lower-cased word to term id, -1 for a stop word: one hash per token.
        var wordIDs: [String: Int32] = [:]
        var stems: [String] = []
        var terms: [[Int32]] = []
        var wordCounts: [Int] = []
        var df: [Int32] = []
        var tf: [Int32] = []
        // Sentences while the token budget lasts (at least one): the summary of a 10 MB document
        // is taken from its first `tokenLimit` tokens, which bounds the cost of everything after.
        var count = 0
        var budget = tokenLimit
        for sentence in analysis.sentences {
            budget -= sentence.tokenRange.count
            if budget < 0 && count > 0 { break }
            count += 1
        }
        terms.reserveCapacity(count)
        let tokenEnd = count > 0 ? analysis.sentences[count - 1].tokenRange.upperBound : 0
        var tokenTerms = [Int32](repeating: -1, count: tokenEnd)
        wordIDs.reserveCapacity(min(tokenEnd, 4_096) / 2)
        ids.reserveCapacity(min(tokenEnd, 4_096) / 3)
        analysis.withUTF8Bytes { bytes in
        for sentence in analysis.sentences.prefix(count) {
            var bag: [Int32] = []
            var words = 0
            for t in sentence.tokenRange {
                let token = analysis.tokens[t]
                guard token.kind != .punctuation else { continue }
                words += 1
                guard token.end - token.start > 1, includeNumbers || token.kind == .word else { continue }
                let lower = AnalyzedText.lowercased(bytes: bytes, token)
                let id: Int32
                if let known = wordIDs[lower] {
                    id = known
                } else if StopWords.contains(lower) {
                    id = -1
                    wordIDs[lower] = -1
                } else {
                    let stem = PorterStemmer.stem(lower)
                    if let known = ids[stem] {
                        id = known
                    } else {
                        id = Int32(stems.count)
                        ids[stem] = id
                        stems.append(stem)
                        df.append(0)
                        tf.append(0)
                    }
                    wordIDs[lower] = id
                }
                guard id >= 0 else { continue }
                tokenTerms[t] = id
                bag.append(id)
                tf[Int(id)] += 1
            }
            bag.sort()
            var previous: Int32 = -1
            for id in bag where id != previous {
                df[Int(id)] += 1
                previous = id
            }
            terms.append(bag)
            wordCounts.append(words)
        }
        }
        self.terms = terms
        self.wordCounts = wordCounts
        self.sentenceFrequency = df
        self.termFrequency = tf
        self.stems = stems
        self.tokenTerms = tokenTerms
    }

    /// Shared words, counted with multiplicity (min of the two counts), by merging sorted bags.
    static func overlap(_ a: [Int32], _ b: [Int32]) -> Int {
        var i = 0
        var j = 0
        var shared = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return shared
    }
}
