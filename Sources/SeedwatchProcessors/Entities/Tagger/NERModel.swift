/// A trained tagger: hashed feature weights quantised to 8 bits, transitions, the gazetteer.
///
/// Quantising each weight row to `Int8` with its own scale keeps the shipped file small (a few MB)
/// with no measurable loss; the bucket index makes a weight lookup one array read.
struct NERModel: Sendable {
    var scheme: TagScheme
    var hashBits: Int
    var transitions: [Float]
    /// `rowOf[bucket]` is the row of that bucket's weights, or -1 when all its weights are zero.
    var rowOf: [Int32]
    /// `rows[row * tagCount + tag]`, to be multiplied by `scales[row]`.
    var rows: [Int8]
    var scales: [Float]
    var gazetteer: Gazetteer
    var lexicon: WordLexicon

    var extractor: FeatureExtractor { FeatureExtractor(hashBits: hashBits) }
    var rowCount: Int { scales.count }

    /// Tags a tokenised sentence; returns tag indices of `scheme`.
    func tagIndices(_ traits: [TokenTraits]) -> [Int] {
        let n = traits.count
        guard n > 0 else { return [] }
        let table = extractor.extract(traits, gazetteer: gazetteer, lexicon: lexicon)
        let tagCount = scheme.count
        var emissions = [Float](repeating: 0, count: n * tagCount)
        rowOf.withUnsafeBufferPointer { index in
            rows.withUnsafeBufferPointer { weights in
                scales.withUnsafeBufferPointer { scale in
                    emissions.withUnsafeMutableBufferPointer { out in
                        for i in 0..<n {
                            let base = i * table.stride
                            let target = i * tagCount
                            for f in 0..<table.counts[i] {
                                let row = Int(index[Int(table.buckets[base + f])])
                                if row < 0 { continue }
                                let s = scale[row]
                                let w = row * tagCount
                                for tag in 0..<tagCount { out[target + tag] += Float(weights[w + tag]) * s }
                            }
                        }
                    }
                }
            }
        }
        return Viterbi.decode(emissions: emissions, length: n, scheme: scheme, transitions: transitions)
    }

    /// Typed spans for a tokenised sentence.
    func spans(_ tokens: [String]) -> [TypedSpan] {
        scheme.decode(tagIndices(tokens.map { TokenTraits($0) }))
    }

    /// BIO tags for a tokenised sentence (the CoNLL format).
    func bioTags(_ tokens: [String]) -> [String] {
        let spans = scheme.decode(tagIndices(tokens.map { TokenTraits($0) }))
        return BIO.tags(spans, length: tokens.count)
    }

    /// Quantises dense training weights: one scale per bucket row, rows of zeros dropped.
    static func quantised(
        scheme: TagScheme, hashBits: Int, weights: [Float], transitions: [Float], gazetteer: Gazetteer, lexicon: WordLexicon
    ) -> NERModel {
        let tagCount = scheme.count
        let buckets = 1 << hashBits
        var rowOf = [Int32](repeating: -1, count: buckets)
        var rows: [Int8] = []
        var scales: [Float] = []
        for bucket in 0..<buckets {
            let base = bucket * tagCount
            var maxAbs: Float = 0
            for tag in 0..<tagCount { maxAbs = max(maxAbs, abs(weights[base + tag])) }
            guard maxAbs > 1e-6 else { continue }
            let scale = maxAbs / 127
            var any = false
            var quantised = [Int8](repeating: 0, count: tagCount)
            for tag in 0..<tagCount {
                let q = (weights[base + tag] / scale).rounded()
                quantised[tag] = Int8(max(-127, min(127, q)))
                if quantised[tag] != 0 { any = true }
            }
            guard any else { continue }
            rowOf[bucket] = Int32(scales.count)
            rows.append(contentsOf: quantised)
            scales.append(scale)
        }
        return NERModel(
            scheme: scheme, hashBits: hashBits, transitions: transitions, rowOf: rowOf, rows: rows,
            scales: scales, gazetteer: gazetteer, lexicon: lexicon
        )
    }
}
