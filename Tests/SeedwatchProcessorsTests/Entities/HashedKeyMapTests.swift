import Testing
@testable import SeedwatchProcessors

@Suite struct HashedKeyMapTests {
    /// The word lexicon's and the document context's map answers as a `Dictionary` does, through
    /// growth, overwrites and the key 0 (kept aside from the empty-slot marker).
    @Test func answersAsADictionaryDoes() {
        var random = SplitMix64(seed: 11)
        var map = HashedKeyMap<UInt32>()
        var reference: [UInt64: UInt32] = [:]
        // Random keys, keys that differ only in high bits (same home slot before mixing), and 0.
        let keys = (0..<3000).map { _ in random.next() } + (0..<64).map { UInt64($0) << 58 } + [0, 1, 2]
        for (i, key) in keys.enumerated() {
            map[key] = UInt32(i)
            reference[key] = UInt32(i)
        }
        for key in keys.prefix(500) {
            map[key] = 7
            reference[key] = 7
        }
        #expect(map.count == reference.count)
        for key in keys { #expect(map[key] == reference[key]) }
        for _ in 0..<3000 {
            let absent = random.next()
            #expect(map[absent] == reference[absent])
        }
        #expect(map.sortedPairs.map(\.key) == reference.keys.sorted())
        #expect(map.sortedPairs.map(\.value) == reference.keys.sorted().map { reference[$0] ?? 0 })
        var empty = HashedKeyMap<UInt32>()
        #expect(empty[0] == nil && empty[5] == nil && empty.count == 0)
        empty[0] = 3
        #expect(empty[0] == 3 && empty.count == 1)
    }
}
