/// Trains the tagger: a structured averaged perceptron with Viterbi decoding.
///
/// Deterministic: sentences are shuffled with a seeded generator, and nothing depends on
/// dictionary order or threads, so the same data and options give the same model file.
public struct PerceptronTrainer: Sendable {
    public struct Options: Sendable {
        public var epochs = 12
        public var hashBits = 20
        public var seed: UInt64 = 20_031
        /// Folds for the gazetteer features of the training sentences: each fold sees names from
        /// the other folds only, so the model does not learn to trust the gazetteer blindly.
        public var gazetteerFolds = 4
        public init() {}
    }

    public struct EpochReport: Sendable {
        public var epoch: Int
        public var mistakes: Int
        public var devF1: Double
    }

    public var options: Options
    public init(options: Options = Options()) { self.options = options }

    /// Trains on `train`, keeps the epoch that scores best on `dev`; `log` hears each epoch.
    func train(
        train: [ConllSentence], dev: [ConllSentence], unlabeled: [[String]], log: (EpochReport) -> Void
    ) -> (model: NERModel, best: EpochReport) {
        let lexicon = unlabeled.isEmpty ? WordLexicon() : LexiconBuilder().build(train.map(\.tokens) + unlabeled)
        let types = Self.entityTypes(train)
        let scheme = TagScheme(types: types)
        let extractor = FeatureExtractor(hashBits: options.hashBits)
        let traits = train.map { $0.tokens.map { TokenTraits($0) } }
        let spans = train.map { BIO.spans($0.tags) }
        let gold = zip(spans, train).map { scheme.encode($0.0, length: $0.1.tokens.count) }

        // Gazetteers: one per fold (without that fold's names), and the full one to ship.
        let folds = max(1, options.gazetteerFolds)
        var foldGazetteers = [Gazetteer](repeating: Gazetteer(), count: folds)
        var full = Gazetteer()
        for (index, sentenceSpans) in spans.enumerated() {
            for span in sentenceSpans {
                guard let typeIndex = types.firstIndex(of: span.type) else { continue }
                let key = traits[index][span.start..<span.end].map(\.lower)
                full.insert(lowerHashes: key, typeIndex: typeIndex)
                for fold in 0..<folds where folds == 1 || fold != index % folds {
                    foldGazetteers[fold].insert(lowerHashes: key, typeIndex: typeIndex)
                }
            }
        }
        let tables = traits.indices.map { extractor.extract(traits[$0], gazetteer: foldGazetteers[$0 % folds], lexicon: lexicon) }

        let tagCount = scheme.count
        var weights = [Float](repeating: 0, count: (1 << options.hashBits) * tagCount)
        var sums = weights
        var transitions = [Float](repeating: 0, count: (tagCount + 1) * tagCount)
        var transitionSums = transitions
        var step: Float = 1
        var order = Array(train.indices)
        var random = SplitMix64(seed: options.seed)
        var best: (model: NERModel, report: EpochReport)?

        for epoch in 1...max(1, options.epochs) {
            random.shuffle(&order)
            var mistakes = 0
            for index in order {
                let table = tables[index]
                let n = train[index].tokens.count
                var emissions = [Float](repeating: 0, count: n * tagCount)
                weights.withUnsafeBufferPointer { w in
                    for i in 0..<n {
                        for f in 0..<table.counts[i] {
                            let base = Int(table.buckets[i * table.stride + f]) * tagCount
                            for tag in 0..<tagCount { emissions[i * tagCount + tag] += w[base + tag] }
                        }
                    }
                }
                let predicted = Viterbi.decode(emissions: emissions, length: n, scheme: scheme, transitions: transitions)
                let truth = gold[index]
                if predicted == truth {
                    step += 1
                    continue
                }
                mistakes += 1
                for i in 0..<n where predicted[i] != truth[i] {
                    for f in 0..<table.counts[i] {
                        let base = Int(table.buckets[i * table.stride + f]) * tagCount
                        weights[base + truth[i]] += 1
                        sums[base + truth[i]] += step
                        weights[base + predicted[i]] -= 1
                        sums[base + predicted[i]] -= step
                    }
                }
                for i in 0..<n {
                    let goldPrev = i == 0 ? tagCount : truth[i - 1]
                    let predictedPrev = i == 0 ? tagCount : predicted[i - 1]
                    if goldPrev == predictedPrev && truth[i] == predicted[i] { continue }
                    transitions[goldPrev * tagCount + truth[i]] += 1
                    transitionSums[goldPrev * tagCount + truth[i]] += step
                    transitions[predictedPrev * tagCount + predicted[i]] -= 1
                    transitionSums[predictedPrev * tagCount + predicted[i]] -= step
                }
                step += 1
            }
            let averaged = zip(weights, sums).map { $0 - $1 / step }
            let averagedTransitions = zip(transitions, transitionSums).map { $0 - $1 / step }
            let model = NERModel.quantised(
                scheme: scheme, hashBits: options.hashBits, weights: averaged,
                transitions: averagedTransitions, gazetteer: full, lexicon: lexicon
            )
            let devF1 = dev.isEmpty ? 0 : Self.score(model, dev).overall.f1
            let report = EpochReport(epoch: epoch, mistakes: mistakes, devF1: devF1)
            log(report)
            if best == nil || devF1 > (best?.report.devF1 ?? 0) || dev.isEmpty { best = (model, report) }
        }
        let fallback = NERModel.quantised(
            scheme: scheme, hashBits: options.hashBits, weights: weights, transitions: transitions, gazetteer: full, lexicon: lexicon
        )
        return best.map { ($0.model, $0.report) } ?? (fallback, EpochReport(epoch: 0, mistakes: 0, devF1: 0))
    }

    static func score(_ model: NERModel, _ sentences: [ConllSentence]) -> SpanScore {
        var score = SpanScore()
        for sentence in sentences {
            score.add(gold: sentence.tags, predicted: model.bioTags(sentence.tokens))
        }
        return score
    }

    /// Entity types in order of first appearance (CoNLL: PER, ORG, LOC, MISC in some order).
    static func entityTypes(_ sentences: [ConllSentence]) -> [String] {
        var seen: [String] = []
        for sentence in sentences {
            for span in BIO.spans(sentence.tags) where !seen.contains(span.type) { seen.append(span.type) }
            if seen.count >= 8 { break }
        }
        return seen.sorted()
    }
}

/// A small, seeded, platform-independent random generator (SplitMix64), for reproducible shuffles.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Fisher–Yates with this generator; `Array.shuffle(using:)` is not specified to be stable
    /// across Swift versions, this is.
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            array.swapAt(i, j)
        }
    }
}
