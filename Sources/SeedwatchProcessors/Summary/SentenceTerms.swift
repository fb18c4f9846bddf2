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
    /// Lower-cased word to term id, so keyphrase extraction does not stem twice.
    var wordIDs: [String: Int32]

    init(_ analysis: AnalyzedText, tokenLimit: Int, includeNumbers: Bool = true) {
        var ids: [String: Int32] = [:]
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
        analysis.withUTF8Bytes { bytes in
        for sentence in analysis.sentences.prefix(count) {
            var bag: [Int32] = []
            var words = 0
            for token in analysis.tokens(of: sentence) where token.kind != .punctuation {
                words += 1
                guard token.end - token.start > 1, includeNumbers || token.kind == .word else { continue }
                let lower = AnalyzedText.lowercased(bytes: bytes, token)
                if StopWords.contains(lower) { continue }
                let id: Int32
                if let known = wordIDs[lower] {
                    id = known
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
        self.wordIDs = wordIDs
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
