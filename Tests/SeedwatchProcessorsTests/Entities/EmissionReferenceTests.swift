import Testing
@testable import SeedwatchProcessors

@Suite struct EmissionReferenceTests {
    /// The emission scores of real sentences through the bucket index, the packed rows and the
    /// reused buffers, bit for bit those of a plain dictionary lookup of each feature's row summed
    /// in feature order. The rows crowd a few runs of buckets and spread over the rest, so some
    /// features have weights and some do not.
    @Test func emissionsMatchAStraightforwardLookup() {
        let hashBits = 12
        let scheme = TagScheme(types: ["LOC", "MISC", "ORG", "PER"])
        let tagCount = scheme.count
        var random = SplitMix64(seed: 7)
        var chosen = Set<Int>([0, (1 << hashBits) - 1])
        for start in [5, 300, 1000, (1 << hashBits) - 40] {
            for bucket in start..<(start + 40) where random.next() % 3 != 0 { chosen.insert(bucket) }
        }
        for bucket in stride(from: 1500, to: (1 << hashBits) - 50, by: 7) { chosen.insert(bucket) }
        let buckets = chosen.sorted()
        var index = BucketIndex(bucketCount: 1 << hashBits)
        let appended = buckets.map { index.append($0) }
        #expect(appended.allSatisfy { $0 })
        let scales = buckets.map { Float($0 % 97 + 1) / 1000 }
        let rows = (0..<(buckets.count * tagCount)).map { _ in Int8(truncatingIfNeeded: Int(random.next() % 255) - 127) }
        let model = NERModel(
            scheme: scheme, hashBits: hashBits, transitions: [Float](repeating: 0, count: (tagCount + 1) * tagCount),
            index: index, rows: rows, scales: scales, gazetteer: Gazetteer(), lexicon: WordLexicon()
        )
        let reference = Dictionary(uniqueKeysWithValues: buckets.enumerated().map { ($1, $0) })
        let sentences = [
            ["Vladimir", "Putin", "met", "Ahmed", "al-Sharaa", "in", "Moscow", "on", "Wednesday", "."],
            ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
            ["TARTUS", "PORT", "REOPENS"],
        ]
        // One scratch for all three, as a document is tagged: a shorter sentence after a longer
        // one must not see the longer one's leftovers.
        var scratch = NERModel.Scratch()
        var featuresSeen = 0
        var featuresWithRows = 0
        for sentence in sentences {
            let traits = sentence.map { TokenTraits($0) }
            model.extractor.extract(traits, gazetteer: model.gazetteer, lexicon: model.lexicon, document: .empty,
                                    position: 0, into: &scratch.features)
            model.computeEmissions(&scratch)
            var expected = [Float](repeating: 0, count: sentence.count * tagCount)
            for i in sentence.indices {
                for f in 0..<scratch.features.counts[i] {
                    featuresSeen += 1
                    guard let row = reference[Int(scratch.features.buckets[i * scratch.features.stride + f])] else { continue }
                    featuresWithRows += 1
                    for tag in 0..<tagCount {
                        expected[i * tagCount + tag] += Float(rows[row * tagCount + tag]) * scales[row]
                    }
                }
            }
            #expect(scratch.emissions.map(\.bitPattern) == expected.map(\.bitPattern))
            // And the whole path: the same as tagging the sentence with fresh buffers.
            model.tagIndices(traits, document: .empty, position: 0, scratch: &scratch)
            #expect(scratch.path == model.tagIndices(traits))
        }
        #expect(featuresWithRows > 0 && featuresWithRows < featuresSeen)
    }
}
