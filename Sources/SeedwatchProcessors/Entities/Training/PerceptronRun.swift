/// The feature tables and gold tags of the training set, computed once for all runs.
struct TrainingData {
    let scheme: TagScheme
    let tables: [FeatureExtractor.Table]
    let gold: [[Int]]
}

/// One run of the structured averaged perceptron over shuffled data.
///
/// Averaging uses the usual trick (weights minus step-weighted sums over the step count), so
/// the average costs nothing per update; the epoch kept is the one best on dev.
struct PerceptronRun {
    let data: TrainingData
    let hashBits: Int
    let epochs: Int
    let seed: UInt64
    /// Keep the last epoch instead of the best on dev (when dev is part of the training data).
    var keepLast = false

    struct Result {
        var weights: [Float]
        var transitions: [Float]
        var best: PerceptronTrainer.EpochReport
    }

    func train(
        evaluate: ([Float], [Float]) -> Double, log: (PerceptronTrainer.EpochReport) -> Void
    ) -> Result {
        let scheme = data.scheme
        let tagCount = scheme.count
        var weights = [Float](repeating: 0, count: (1 << hashBits) * tagCount)
        var sums = weights
        var transitions = [Float](repeating: 0, count: (tagCount + 1) * tagCount)
        var transitionSums = transitions
        var step: Float = 1
        var order = Array(data.tables.indices)
        var random = SplitMix64(seed: seed)
        var best: Result?

        for epoch in 1...epochs {
            random.shuffle(&order)
            var mistakes = 0
            for index in order {
                let table = data.tables[index]
                let n = table.counts.count
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
                let truth = data.gold[index]
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
            let devF1 = keepLast ? 0 : evaluate(averaged, averagedTransitions)
            let report = PerceptronTrainer.EpochReport(epoch: epoch, mistakes: mistakes, devF1: devF1)
            log(report)
            if best == nil || keepLast || devF1 > (best?.best.devF1 ?? 0) {
                best = Result(weights: averaged, transitions: averagedTransitions, best: report)
            }
        }
        return best ?? Result(weights: weights, transitions: transitions, best: .init(epoch: 0, mistakes: 0, devF1: 0))
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
