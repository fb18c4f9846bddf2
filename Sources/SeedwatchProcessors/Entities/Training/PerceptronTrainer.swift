/// Trains the tagger: a structured averaged perceptron with Viterbi decoding.
///
/// Deterministic: sentences are shuffled with a seeded generator, and nothing depends on
/// dictionary order or threads, so the same data and options give the same model file.
public struct PerceptronTrainer: Sendable {
    public struct Options: Sendable {
        public var epochs = 10
        public var hashBits = 20
        public var seed: UInt64 = 20_031
        /// Folds for the gazetteer features of the training sentences: each fold sees names from
        /// the other folds only, so the model does not learn to trust the gazetteer blindly.
        public var gazetteerFolds = 4
        /// Training runs (different sentence orders) whose weights are averaged.
        public var runs = 3
        /// Names from outside the training data (`type`, tokens): a gazetteer feature of their own
        /// (type bit 4 + the type's index), seen by every fold alike, as new text will see it.
        /// Train on `train` and `dev` together for exactly `epochs` epochs (chosen beforehand on
        /// dev); `dev` is then no held-out check.
        public var trainOnDev = false
        public var externalNames: [(type: String, tokens: [String])] = []
        public init() {}
    }

    public struct EpochReport: Sendable {
        public var epoch: Int
        public var mistakes: Int
        public var devF1: Double
        /// 1-based run; 0 for the final, averaged model.
        public var run = 0
    }

    public var options: Options
    public init(options: Options = Options()) { self.options = options }

    /// Trains on `train`, keeps the epoch that scores best on `dev`; `log` hears each epoch.
    func train(
        train: [ConllSentence], dev: [ConllSentence], unlabeled: [[String]], log: (EpochReport) -> Void
    ) -> (model: NERModel, best: EpochReport) {
        let train = options.trainOnDev ? train + dev : train
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
        for name in options.externalNames {
            guard let typeIndex = types.firstIndex(of: name.type), typeIndex + Gazetteer.externalBit < 8 else { continue }
            let key = name.tokens.map { TokenTraits($0).lower }
            full.insert(lowerHashes: key, typeIndex: typeIndex + Gazetteer.externalBit)
            for fold in 0..<folds { foldGazetteers[fold].insert(lowerHashes: key, typeIndex: typeIndex + Gazetteer.externalBit) }
        }
        var tables: [FeatureExtractor.Table] = []
        tables.reserveCapacity(traits.count)
        for document in ConllCorpus.documents(train) {
            let context = DocumentContext(Array(traits[document]))
            var position = 0
            for index in document {
                tables.append(extractor.extract(traits[index], gazetteer: foldGazetteers[index % folds], lexicon: lexicon,
                                                document: context, position: position))
                position += traits[index].count
            }
        }

        let data = TrainingData(scheme: scheme, tables: tables, gold: gold)
        let quantise = { (weights: [Float], transitions: [Float]) in
            NERModel.quantised(
                scheme: scheme, hashBits: self.options.hashBits, weights: weights, transitions: transitions,
                gazetteer: full, lexicon: lexicon
            )
        }
        // Several runs over differently shuffled data, each stopped at its best epoch on dev, then
        // averaged: the average is steadier than any one run (less dependent on the order).
        let runs = max(1, options.runs)
        var weights: [Float] = []
        var transitions: [Float] = []
        var last = EpochReport(epoch: 0, mistakes: 0, devF1: 0)
        for run in 0..<runs {
            let result = PerceptronRun(data: data, hashBits: options.hashBits, epochs: max(1, options.epochs),
                                       seed: options.seed &+ UInt64(run), keepLast: options.trainOnDev)
                .train { weights, transitions in
                    dev.isEmpty ? 0 : Self.score(quantise(weights, transitions), dev).overall.f1
                } log: { report in
                    log(EpochReport(epoch: report.epoch, mistakes: report.mistakes, devF1: report.devF1, run: run + 1))
                }
            if weights.isEmpty {
                weights = result.weights
                transitions = result.transitions
            } else {
                for i in weights.indices { weights[i] += result.weights[i] }
                for i in transitions.indices { transitions[i] += result.transitions[i] }
            }
            last = result.best
        }
        let scale = 1 / Float(runs)
        let model = quantise(weights.map { $0 * scale }, transitions.map { $0 * scale })
        let devF1 = dev.isEmpty ? 0 : Self.score(model, dev).overall.f1
        return (model, EpochReport(epoch: last.epoch, mistakes: last.mistakes, devF1: devF1, run: 0))
    }

    static func score(_ model: NERModel, _ sentences: [ConllSentence]) -> SpanScore {
        var score = SpanScore()
        for document in ConllCorpus.documents(sentences) {
            let predicted = model.bioTags(document: sentences[document].map(\.tokens))
            for (sentence, tags) in zip(sentences[document], predicted) {
                score.add(gold: sentence.tags, predicted: tags)
            }
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

