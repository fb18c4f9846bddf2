import Testing
@testable import SeedwatchProcessors

@Suite struct BucketIndexTests {
    @Test func rowsAreNumberedInBucketOrderAcrossWords() {
        // Buckets in the first and last bit of words, empty words between, and a full word.
        let buckets = [0, 63, 64, 200, 1000] + Array(1024..<1088) + [4095]
        var index = BucketIndex(bucketCount: 4096)
        let appended = buckets.map { index.append($0) }
        #expect(appended.allSatisfy { $0 })
        #expect(index.rowCount == buckets.count)
        for (row, bucket) in buckets.enumerated() { #expect(index.row(of: bucket) == row) }
        let empty = Set(0..<4096).subtracting(buckets)
        #expect(empty.allSatisfy { index.row(of: $0) == nil })
        #expect(index.bucketsWithRows == buckets)
    }

    @Test func aRepeatedDescendingOrOutOfRangeBucketIsRefused() {
        var index = BucketIndex(bucketCount: 256)
        let answers = [10, 10, 9, 256, -1, 255].map { index.append($0) }
        #expect(answers == [true, false, false, false, false, true])
        #expect(index.rowCount == 2)
        #expect(index.row(of: 10) == 0)
        #expect(index.row(of: 255) == 1)
    }

    /// A file whose rows name the same bucket twice would shift every later row: it is corrupt.
    @Test func aModelFileWithARepeatedBucketIsRefused() throws {
        let scheme = TagScheme(types: ["PER"])
        var weights = [Float](repeating: 0, count: 256 * scheme.count)
        weights[3 * scheme.count] = 1
        weights[7 * scheme.count + 1] = -2
        let model = NERModel.quantised(
            scheme: scheme, hashBits: 8, weights: weights,
            transitions: [Float](repeating: 0, count: (scheme.count + 1) * scheme.count),
            gazetteer: Gazetteer(), lexicon: WordLexicon()
        )
        let bytes = ModelCodec.encode(model)
        #expect(try ModelCodec.decode(bytes).index.bucketsWithRows == [3, 7])
        // The tail is the gazetteer's length and two empty counts; before it, the second row:
        // its bucket delta (one byte, 4), its scale and its weights.
        var repeated = bytes
        let delta = bytes.count - 3 - (1 + 4 + scheme.count)
        #expect(repeated[delta] == 4)
        repeated[delta] = 0
        #expect(throws: NERModelError.self) { _ = try ModelCodec.decode(repeated) }
    }
}
