import Testing
@testable import SeedwatchProcessors

/// The centroid kept as id-ordered arrays (merges, a quickselect, no hashing) against the
/// dictionary it replaced, kept here as the reference: every sum, norm, ranking and truncation
/// must agree bit for bit, or the tracker would decide differently from the version before.
@Suite("Centroid")
struct CentroidTests {
    /// The dictionary centroid as it was, reduced to what the comparison needs.
    struct DictionaryCentroid {
        var weights: [Int32: Float] = [:]
        var norm: Float = 0
        let limit: Int

        func cosine(_ ids: [Int32], _ vectorWeights: [Float]) -> Float {
            guard norm > 0 else { return 0 }
            var sum: Float = 0
            for (id, w) in zip(ids, vectorWeights) {
                if let c = weights[id] { sum += w * c }
            }
            return sum / norm
        }

        func cosine(_ other: DictionaryCentroid) -> Float {
            guard norm > 0, other.norm > 0 else { return 0 }
            let (small, large) = weights.count <= other.weights.count ? (self, other) : (other, self)
            var sum: Float = 0
            for (id, w) in small.weights.sorted(by: { $0.key < $1.key }) {
                if let c = large.weights[id] { sum += w * c }
            }
            return sum / (norm * other.norm)
        }

        mutating func add(_ ids: [Int32], _ vectorWeights: [Float], scale: Float = 1) {
            for (id, w) in zip(ids, vectorWeights) { weights[id, default: 0] += w * scale }
            truncateIfFull()
        }

        mutating func add(_ other: DictionaryCentroid) {
            for (id, w) in other.weights { weights[id, default: 0] += w }
            truncateIfFull()
        }

        func top(_ count: Int) -> [Int32] {
            weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count).map(\.key)
        }

        private mutating func truncateIfFull() {
            if weights.count > limit + limit / 2 {
                let kept = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
                weights = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
            }
            norm = weights.sorted { $0.key < $1.key }.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
        }
    }

    /// A deterministic generator (SplitMix64), so a failure reproduces.
    struct Numbers {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        /// Weights of many magnitudes, with repeats (ties) among them.
        mutating func weight() -> Float {
            let steps: [Float] = [0.5, 0.25, 1, 0.001, 0.125]
            return below(4) == 0 ? steps[below(steps.count)] : Float(1 + below(1_000)) / Float(7 + below(13))
        }
    }

    /// A vector of distinct ids over a small vocabulary (so documents share terms), heaviest first.
    static func vector(_ numbers: inout Numbers, terms: Int, vocabulary: Int) -> TermVector {
        var raw: [Int32: Float] = [:]
        while raw.count < terms { raw[Int32(numbers.below(vocabulary))] = numbers.weight() }
        return TermVector(weights: raw, limit: terms)
    }

    @Test("additions, truncations, rankings and cosines equal the dictionary centroid's bit for bit")
    func matchesDictionaryCentroid() {
        var numbers = Numbers(state: 23)
        for (limit, terms, vocabulary) in [(200, 40, 900), (350, 400, 3_000), (5, 3, 12)] {
            var centroid = Centroid(limit: limit)
            var reference = DictionaryCentroid(limit: limit)
            for step in 0..<120 {
                let vector = Self.vector(&numbers, terms: terms, vocabulary: vocabulary)
                let probe = Self.vector(&numbers, terms: terms, vocabulary: vocabulary)
                #expect(centroid.cosine(probe).bitPattern == reference.cosine(probe.ids, probe.weights).bitPattern, "limit \(limit) step \(step)")
                let scale: Float = step % 3 == 0 ? 1 : numbers.weight()
                centroid.add(vector, scale: scale)
                reference.add(vector.ids, vector.weights, scale: scale)
                #expect(centroid.weights == reference.weights, "limit \(limit) step \(step)")
                #expect(centroid.norm.bitPattern == reference.norm.bitPattern, "limit \(limit) step \(step)")
                #expect(centroid.top(20) == reference.top(20), "limit \(limit) step \(step)")
                #expect(centroid.top(limit * 3) == reference.top(limit * 3), "limit \(limit) step \(step)")
            }
            // Merging two clusters.
            var other = Centroid(limit: limit)
            var otherReference = DictionaryCentroid(limit: limit)
            for _ in 0..<10 {
                let vector = Self.vector(&numbers, terms: terms, vocabulary: vocabulary)
                other.add(vector)
                otherReference.add(vector.ids, vector.weights)
            }
            #expect(centroid.cosine(other).bitPattern == reference.cosine(otherReference).bitPattern, "limit \(limit)")
            centroid.add(other)
            reference.add(otherReference)
            #expect(centroid.weights == reference.weights, "limit \(limit)")
            #expect(centroid.norm.bitPattern == reference.norm.bitPattern, "limit \(limit)")
        }
    }

    @Test("an open run's sums, length and run vector equal those summed in a dictionary")
    func runSumsMatchDictionary() {
        var numbers = Numbers(state: 17)
        var sums = RunSums()
        var reference: [Int32: Float] = [:]
        for _ in 0..<6 {
            let vector = Self.vector(&numbers, terms: 400, vocabulary: 3_000)
            sums.add(vector)
            for (id, w) in zip(vector.ids, vector.weights) { reference[id, default: 0] += w }
        }
        #expect(sums == RunSums(reference))
        #expect(Dictionary(uniqueKeysWithValues: Array(sums.sortedEntries)) == reference)
        let length = reference.sorted { $0.key < $1.key }.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
        #expect(sums.length.bitPattern == length.bitPattern)
        #expect(sums.vector(limit: 150) == TermVector(weights: reference, limit: 150))
        #expect(RunSums().vector(limit: 150).isEmpty)
    }

    @Test("a restored centroid equals the one it was saved from, and an empty one matches nothing")
    func restoredAndEmpty() {
        var numbers = Numbers(state: 5)
        var centroid = Centroid(limit: 50)
        for _ in 0..<8 { centroid.add(Self.vector(&numbers, terms: 30, vocabulary: 200)) }
        let restored = Centroid(limit: 50, weights: centroid.weights)
        #expect(restored == centroid)
        #expect(restored.ids == restored.ids.sorted())
        let probe = Self.vector(&numbers, terms: 30, vocabulary: 200)
        #expect(Centroid(limit: 50).cosine(probe) == 0)
        #expect(centroid.cosine(TermVector(ids: [], weights: [])) == 0)
        #expect(centroid.cosine(probe) > 0)
    }

    @Test("the n-th heaviest term by quickselect is the one a full sort puts there")
    func nthHeaviestMatchesSort() {
        var numbers = Numbers(state: 11)
        for count in [1, 2, 3, 10, 101, 700] {
            var terms = (0..<count).map { WeightedTerm(id: Int32($0 * 3), weight: Float(numbers.below(9))) }
            let sorted = terms.sorted(by: WeightedTerm.heavier)
            for n in Set([0, count / 2, count - 1]) {
                let found = Centroid.nthHeaviest(&terms, n)
                #expect(found.id == sorted[n].id, "count \(count) n \(n)")
            }
        }
    }

    @Test("a vector made from a sorted prefix equals one made from the weights")
    func vectorFromPrefix() {
        var numbers = Numbers(state: 3)
        var raw: [Int32: Float] = [:]
        while raw.count < 300 { raw[Int32(numbers.below(5_000))] = numbers.weight() }
        let sorted = raw.map { WeightedTerm(id: $0.key, weight: $0.value) }.sorted(by: WeightedTerm.heavier)
        let longest = TermVector(heaviestFirst: sorted.prefix(400))
        for limit in [1, 40, 300, 400] {
            let vector = TermVector(heaviestFirst: sorted.prefix(limit))
            #expect(vector == TermVector(weights: raw, limit: limit), "limit \(limit)")
            #expect(vector.byID.map { vector.ids[Int($0)] } == vector.ids.sorted(), "limit \(limit)")
            // Its id order taken from a longer vector's.
            #expect(TermVector(heaviestFirst: sorted.prefix(limit), within: longest) == vector, "limit \(limit)")
            #expect(TermVector(heaviestFirst: sorted.prefix(400), within: vector) == longest, "limit \(limit)")
        }
    }
}
