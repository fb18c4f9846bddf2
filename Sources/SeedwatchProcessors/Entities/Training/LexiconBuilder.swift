/// Builds the `WordLexicon` from unlabelled sentences: spherical k-means over sparse context
/// vectors (left and right neighbours among the most frequent words), and the case prior.
///
/// Deterministic: centroids start at the most frequent words, ties break by word order.
struct LexiconBuilder {
    var minCount = 4
    var maxVocabulary = 30_000
    var contextWords = 400
    var coarseClusters = 64
    var fineClusters = 400
    var iterations = 8

    func build(_ sentences: [[String]]) -> WordLexicon {
        // Vocabulary of lower-cased words, most frequent first (ties by first appearance).
        var counts: [String: Int] = [:]
        var firstSeen: [String: Int] = [:]
        var capitalised: [String: Int] = [:]
        var midSentence: [String: Int] = [:]
        for sentence in sentences {
            let allCaps = sentence.filter { $0.contains(where: \.isLetter) }.allSatisfy { $0 == $0.uppercased() }
            for (i, token) in sentence.enumerated() {
                let lower = token.lowercased()
                counts[lower, default: 0] += 1
                if firstSeen[lower] == nil { firstSeen[lower] = firstSeen.count }
                if i > 0 && !allCaps, let first = token.unicodeScalars.first, first.properties.isAlphabetic {
                    midSentence[lower, default: 0] += 1
                    if first.properties.isUppercase { capitalised[lower, default: 0] += 1 }
                }
            }
        }
        let ranked = counts.keys.sorted {
            let a = counts[$0] ?? 0, b = counts[$1] ?? 0
            return a != b ? a > b : (firstSeen[$0] ?? 0) < (firstSeen[$1] ?? 0)
        }
        let vocabulary = Array(ranked.prefix { (counts[$0] ?? 0) >= minCount }.prefix(maxVocabulary))
        var index: [String: Int] = [:]
        for (i, word) in vocabulary.enumerated() { index[word] = i }
        let contextCount = min(contextWords, vocabulary.count)
        let dimensions = 2 * (contextCount + 1)

        // Sparse context counts per word: dimension → count.
        var contexts = [[Int: Float]](repeating: [:], count: vocabulary.count)
        for sentence in sentences {
            let ids = sentence.map { index[$0.lowercased()] ?? -1 }
            for (i, id) in ids.enumerated() where id >= 0 {
                let left = i > 0 ? ids[i - 1] : -1
                let right = i + 1 < ids.count ? ids[i + 1] : -1
                let l = left >= 0 && left < contextCount ? left : contextCount
                let r = right >= 0 && right < contextCount ? right : contextCount
                contexts[id][l, default: 0] += 1
                contexts[id][contextCount + 1 + r, default: 0] += 1
            }
        }
        // Square roots then unit length: frequent contexts do not drown the rest.
        let vectors: [[(Int32, Float)]] = contexts.map { counts in
            var pairs = counts.map { (Int32($0.key), $0.value.squareRoot()) }.sorted { $0.0 < $1.0 }
            let norm = pairs.reduce(Float(0)) { $0 + $1.1 * $1.1 }.squareRoot()
            if norm > 0 { for k in pairs.indices { pairs[k].1 /= norm } }
            return pairs
        }
        let coarse = kMeans(vectors, k: coarseClusters, dimensions: dimensions)
        let fine = kMeans(vectors, k: fineClusters, dimensions: dimensions)

        var lexicon = WordLexicon()
        for (word, mid) in midSentence where mid >= 3 {
            let share = Double(capitalised[word] ?? 0) / Double(mid)
            let caseClass = share < 0.1 ? 1 : (share > 0.9 ? 3 : 2)
            lexicon.entries[FeatureHash.of(word)] = WordLexicon.pack(coarse: 0, fine: 0, caseClass: caseClass)
        }
        for (i, word) in vocabulary.enumerated() {
            let key = FeatureHash.of(word)
            let caseClass = Int(((lexicon.entries[key] ?? 0) >> 20) & 0x3)
            lexicon.entries[key] = WordLexicon.pack(coarse: coarse[i] + 1, fine: fine[i] + 1, caseClass: caseClass)
        }
        return lexicon
    }

    /// Spherical k-means: assignment by the largest dot product with unit-length centroids.
    private func kMeans(_ vectors: [[(Int32, Float)]], k requested: Int, dimensions: Int) -> [Int] {
        let k = max(1, min(requested, vectors.count))
        var centroids = [Float](repeating: 0, count: k * dimensions)
        for c in 0..<k {
            for (d, v) in vectors[c] { centroids[c * dimensions + Int(d)] = v }
        }
        var assignment = [Int](repeating: 0, count: vectors.count)
        for _ in 0..<iterations {
            centroids.withUnsafeBufferPointer { centre in
                for (w, vector) in vectors.enumerated() {
                    var best = -Float.greatestFiniteMagnitude
                    var bestCluster = 0
                    for c in 0..<k {
                        let base = c * dimensions
                        var dot: Float = 0
                        for (d, v) in vector { dot += centre[base + Int(d)] * v }
                        if dot > best {
                            best = dot
                            bestCluster = c
                        }
                    }
                    assignment[w] = bestCluster
                }
            }
            var sums = [Float](repeating: 0, count: k * dimensions)
            for (w, vector) in vectors.enumerated() {
                let base = assignment[w] * dimensions
                for (d, v) in vector { sums[base + Int(d)] += v }
            }
            for c in 0..<k {
                let base = c * dimensions
                var norm: Float = 0
                for d in 0..<dimensions { norm += sums[base + d] * sums[base + d] }
                norm = norm.squareRoot()
                guard norm > 0 else { continue }  // an empty cluster keeps its old centre
                for d in 0..<dimensions { centroids[base + d] = sums[base + d] / norm }
            }
        }
        return assignment
    }
}
