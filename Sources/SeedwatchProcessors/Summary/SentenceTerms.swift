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
    /// The title's sentences (never chosen), within the considered ones.
    var title: Range<Int>
    /// The title's term ids, sorted with repeats: the query sentences are compared with.
    var titleBag: [Int32]

    /// `titleCounts`: whether the title's words count in the document statistics and the graph;
    /// when false the title's own bags are empty and only `titleBag` holds its words.
    init(_ analysis: AnalyzedText, tokenLimit: Int, includeNumbers: Bool = true, titleCounts: Bool = true) {
        var ids: [String: Int32] = [:]
        // Lower-cased word to distinct-word index, -1 for a stop word: one hash per token.
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
        // Pass 1: each token to a distinct-word index (-1: stop word or skipped).
        var distinct: [String] = []
        var tokenWords = [Int32](repeating: -1, count: tokenEnd)
        analysis.withUTF8Bytes { bytes in
            for sentence in analysis.sentences.prefix(count) {
                for t in sentence.tokenRange {
                    let token = analysis.tokens[t]
                    guard token.kind != .punctuation, token.end - token.start > 1,
                          includeNumbers || token.kind == .word else { continue }
                    let lower = AnalyzedText.lowercased(bytes: bytes, token)
                    if let known = wordIDs[lower] {
                        tokenWords[t] = known
                    } else if StopWords.contains(lower) {
                        wordIDs[lower] = -1
                    } else {
                        let index = Int32(distinct.count)
                        distinct.append(lower)
                        wordIDs[lower] = index
                        tokenWords[t] = index
                    }
                }
            }
        }
        // Stems of the distinct words, then dense term ids per stem. Possessives stay distinct
        // terms ("council's" vs "council"): merging them scored lower on the BBC dev split (R1 60.92 ->
        // 60.68 at 3 sentences).
        let wordTerm = StemCache.stems(for: distinct).map { stem -> Int32 in
            if let known = ids[stem] { return known }
            let id = Int32(stems.count)
            ids[stem] = id
            stems.append(stem)
            return id
        }
        df = [Int32](repeating: 0, count: stems.count)
        tf = [Int32](repeating: 0, count: stems.count)
        // Pass 2: bags of term ids per sentence.
        let title = (analysis.title?.sentenceRange ?? 0..<0).clamped(to: 0..<count)
        var titleBag: [Int32] = []
        for (index, sentence) in analysis.sentences.prefix(count).enumerated() {
            var bag: [Int32] = []
            var words = 0
            for t in sentence.tokenRange {
                guard analysis.tokens[t].kind != .punctuation else { continue }
                words += 1
                let word = tokenWords[t]
                guard word >= 0 else { continue }
                bag.append(wordTerm[Int(word)])
            }
            if title.contains(index) {
                titleBag += bag
                if !titleCounts { bag = [] }
            }
            if !bag.isEmpty {
                for t in sentence.tokenRange where tokenWords[t] >= 0 { tokenTerms[t] = wordTerm[Int(tokenWords[t])] }
            }
            for id in bag { tf[Int(id)] += 1 }
            bag.sort()
            var previous: Int32 = -1
            for id in bag where id != previous {
                df[Int(id)] += 1
                previous = id
            }
            terms.append(bag)
            wordCounts.append(words)
        }
        self.terms = terms
        self.wordCounts = wordCounts
        self.sentenceFrequency = df
        self.termFrequency = tf
        self.stems = stems
        self.tokenTerms = tokenTerms
        self.title = title
        self.titleBag = titleBag.sorted()
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
