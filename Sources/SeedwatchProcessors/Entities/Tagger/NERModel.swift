/// A trained tagger: hashed feature weights quantised to 8 bits, transitions, the gazetteer.
///
/// Quantising each weight row to `Int8` with its own scale keeps the shipped file small (a few MB)
/// with no measurable loss; the bucket index finds a weight row with two reads from a table
/// small enough to stay in cache.
struct NERModel: Sendable {
    var scheme: TagScheme
    var hashBits: Int
    var transitions: [Float]
    /// The row of each bucket's weights; buckets whose weights are all zero have none.
    let index: BucketIndex
    /// Each row's scale (Float32) and its `tagCount` Int8 weights side by side, `rowStride` bytes
    /// per row, plus one all-zero row at the end. Scoring is bound by cache misses on these
    /// tables: with the scale beside the weights a feature costs two misses (`index`, its row)
    /// instead of three, and the zero row lets buckets without weights skip the branch.
    private let packed: [UInt8]
    let rowCount: Int
    private let rowStride: Int
    var gazetteer: Gazetteer
    var lexicon: WordLexicon

    /// `rows[row * tagCount + tag]`, to be multiplied by `scales[row]`; `index` numbers the rows.
    init(
        scheme: TagScheme, hashBits: Int, transitions: [Float], index: BucketIndex, rows: [Int8], scales: [Float],
        gazetteer: Gazetteer, lexicon: WordLexicon
    ) {
        let tagCount = scheme.count
        // 16 bytes (a quarter of a cache line, so a row never straddles two) while the tags fit.
        let stride = (4 + tagCount + 15) / 16 * 16
        var packed = [UInt8](repeating: 0, count: (scales.count + 1) * stride)
        packed.withUnsafeMutableBytes { out in
            for row in 0..<scales.count {
                out.storeBytes(of: scales[row], toByteOffset: row * stride, as: Float.self)
                for tag in 0..<tagCount {
                    out[row * stride + 4 + tag] = UInt8(bitPattern: rows[row * tagCount + tag])
                }
            }
        }
        self.scheme = scheme
        self.hashBits = hashBits
        self.transitions = transitions
        self.index = index
        self.packed = packed
        self.rowCount = scales.count
        self.rowStride = stride
        self.gazetteer = gazetteer
        self.lexicon = lexicon
    }

    var extractor: FeatureExtractor { FeatureExtractor(hashBits: hashBits) }

    /// The scale of a weight row (what the model file stores).
    func scale(ofRow row: Int) -> Float {
        packed.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: row * rowStride, as: Float.self) }
    }

    /// One quantised weight (what the model file stores).
    func weight(row: Int, tag: Int) -> Int8 {
        Int8(bitPattern: packed[row * rowStride + 4 + tag])
    }

    /// Buffers reused from sentence to sentence of a document, so tagging a sentence allocates
    /// only when it is longer than any before.
    struct Scratch {
        var features = FeatureExtractor.Table()
        /// Each feature's row offset in `packed` (structure of arrays beside `features`).
        var offsets: [Int] = []
        var emissions: [Float] = []
        var viterbi = Viterbi.Scratch()
        var path: [Int] = []
    }

    /// Tags a tokenised sentence; returns tag indices of `scheme`.
    /// `document` and `position` as `FeatureExtractor.extract` takes them (none: the sentence alone).
    func tagIndices(_ traits: [TokenTraits], document: DocumentContext = .empty, position: Int = 0) -> [Int] {
        var scratch = Scratch()
        tagIndices(traits, document: document, position: position, scratch: &scratch)
        return scratch.path
    }

    /// Tags a tokenised sentence into `scratch.path` (tag indices of `scheme`).
    func tagIndices(_ traits: [TokenTraits], document: DocumentContext, position: Int, scratch: inout Scratch) {
        let n = traits.count
        scratch.path.removeAll(keepingCapacity: true)
        guard n > 0 else { return }
        extractor.extract(traits, gazetteer: gazetteer, lexicon: lexicon, document: document, position: position,
                          into: &scratch.features)
        computeEmissions(&scratch)
        let emissions = scratch.emissions
        var path = scratch.path
        scratch.path = []  // moved out and back: `path` stays the only reference, so no copy
        Viterbi.decode(emissions: emissions, length: n, scheme: scheme, transitions: transitions,
                       scratch: &scratch.viterbi, path: &path)
        scratch.path = path
    }

    /// `scratch.emissions[i * tagCount + tag]`: the scores of `scratch.features`.
    func computeEmissions(_ scratch: inout Scratch) {
        let table = scratch.features
        let n = table.counts.count
        let tagCount = scheme.count
        let stride = rowStride
        let zeroRow = rowCount
        // Moved out of `scratch` and back, so each stays uniquely referenced (no copies).
        var offsets = scratch.offsets
        var emissions = scratch.emissions
        scratch.offsets = []
        scratch.emissions = []
        defer {
            scratch.offsets = offsets
            scratch.emissions = emissions
        }
        if offsets.count < n * table.stride {
            offsets = [Int](repeating: 0, count: n * table.stride)
        }
        emissions.removeAll(keepingCapacity: true)
        emissions.append(contentsOf: repeatElement(0, count: n * tagCount))
        // First every feature's row offset, then the sums: the `index` reads of the first loop do
        // not depend on each other, so their cache misses overlap instead of queueing behind the
        // weight reads. A bucket without weights reads the zero row: adding +0.0 leaves every sum
        // as it was (no sum here is ever -0.0), so the scores are bit for bit those of skipping it.
        table.buckets.withUnsafeBufferPointer { buckets in
            table.counts.withUnsafeBufferPointer { counts in
                offsets.withUnsafeMutableBufferPointer { offsets in
                    for i in 0..<n {
                        let base = i &* table.stride
                        for f in 0..<counts[i] {
                            let row = index.row(of: Int(buckets[base &+ f])) ?? zeroRow
                            offsets[base &+ f] = row &* stride
                        }
                    }
                }
            }
        }
        packed.withUnsafeBytes { weights in
            table.counts.withUnsafeBufferPointer { counts in
                offsets.withUnsafeBufferPointer { offsets in
                    emissions.withUnsafeMutableBufferPointer { out in
                        // The first 16 tags in one vector (each lane's sum in the same order as the
                        // scalar loop, so the same scores bit for bit); a row is at least 4 + 16 bytes
                        // when there are 16 tags or more.
                        let vectorTags = tagCount >= 16 ? 16 : 0
                        for i in 0..<n {
                            let base = i &* table.stride
                            let target = i &* tagCount
                            var sums = SIMD16<Float>(repeating: 0)
                            for f in 0..<counts[i] {
                                let offset = offsets[base &+ f]
                                let s = weights.loadUnaligned(fromByteOffset: offset, as: Float.self)
                                if vectorTags == 16 {
                                    let w = weights.loadUnaligned(fromByteOffset: offset &+ 4, as: SIMD16<Int8>.self)
                                    sums += SIMD16<Float>(w) * s
                                }
                                for tag in vectorTags..<tagCount {
                                    let w = Int8(bitPattern: weights[offset &+ 4 &+ tag])
                                    out[target &+ tag] += Float(w) * s
                                }
                            }
                            if vectorTags == 16 {
                                for tag in 0..<16 { out[target &+ tag] = sums[tag] }
                            }
                        }
                    }
                }
            }
        }
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

    /// BIO tags for the tokenised sentences of one document, each tagged knowing the others.
    func bioTags(document sentences: [[String]]) -> [[String]] {
        let traits = sentences.map { $0.map { TokenTraits($0) } }
        return zip(documentSpans(traits), sentences).map { BIO.tags($0, length: $1.count) }
    }

    /// Spans for the sentences of one document: tagged with the document's context, then made
    /// consistent across it (`DocumentConsistency`).
    func documentSpans(_ traits: [[TokenTraits]]) -> [[TypedSpan]] {
        let context = DocumentContext(traits)
        var position = 0
        var scratch = Scratch()
        var spans = traits.map { sentence in
            defer { position += sentence.count }
            tagIndices(sentence, document: context, position: position, scratch: &scratch)
            return scheme.decode(scratch.path)
        }
        DocumentConsistency.apply(&spans, traits: traits)
        return spans
    }

    /// Quantises dense training weights: one scale per bucket row, rows of zeros dropped.
    static func quantised(
        scheme: TagScheme, hashBits: Int, weights: [Float], transitions: [Float], gazetteer: Gazetteer, lexicon: WordLexicon
    ) -> NERModel {
        let tagCount = scheme.count
        let buckets = 1 << hashBits
        var index = BucketIndex(bucketCount: buckets)
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
            _ = index.append(bucket)  // buckets ascend
            rows.append(contentsOf: quantised)
            scales.append(scale)
        }
        return NERModel(
            scheme: scheme, hashBits: hashBits, transitions: transitions, index: index, rows: rows,
            scales: scales, gazetteer: gazetteer, lexicon: lexicon
        )
    }
}
