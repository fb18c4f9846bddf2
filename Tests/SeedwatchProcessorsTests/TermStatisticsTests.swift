import Testing
@testable import SeedwatchProcessors

/// Term statistics as the arrival-order turn uses them: ids looked up by a hash taken outside the
/// turn, and the terms and shards whose counts changed kept without hashing.
@Suite("TermStatistics")
struct TermStatisticsTests {
    @Test("interning with the hash taken beforehand gives the ids interning the string gives")
    func internWithHash() {
        var byString = TermStatistics(background: .empty)
        var byHash = TermStatistics(background: .empty)
        let words = ["syria", "tartus", "syria", "caf\u{E9}", "cafe\u{301}", "a long term past the small-string size", "tartus"]
        let expected = words.map { byString.intern($0, surface: $0) }
        let found = words.map { byHash.intern($0, hash: $0.hashValue, surface: $0) }
        #expect(found == expected)
        #expect(expected == [0, 1, 0, 2, 2, 3, 1])
        #expect(byHash.terms == byString.terms)
        #expect(byHash.surface(2) == "caf\u{E9}")
    }

    @Test("counted terms are dirty until the checkpoint; their shards until the counts are written whole")
    func dirtyTermsAndShards() {
        var statistics = TermStatistics(background: .empty)
        let ids = ["syria", "tartus", "damascus", "aleppo"].map { statistics.intern($0, surface: $0) }
        #expect(statistics.dirtyTerms.isEmpty)
        #expect(statistics.dirtyShards.isEmpty)

        statistics.observe(distinct: [ids[0], ids[2]])
        statistics.observe(distinct: [ids[2], ids[1]])
        #expect(statistics.dirtyTerms == [ids[0], ids[1], ids[2]])
        let shards = Set([ids[0], ids[1], ids[2]].map { TermStatistics.shard(of: statistics.term($0)) })
        #expect(statistics.dirtyShards == shards)
        #expect(statistics.onlineCounts(terms: statistics.dirtyTerms).map(\.count) == [1, 1, 2])

        statistics.clearDirtyTerms()
        #expect(statistics.dirtyTerms.isEmpty)
        #expect(statistics.dirtyShards == shards)

        statistics.observe(distinct: [ids[3], ids[2]])
        #expect(statistics.dirtyTerms == [ids[2], ids[3]])
        #expect(statistics.dirtyShards == shards.union([TermStatistics.shard(of: "aleppo")]))
        statistics.clearDirty()
        #expect(statistics.dirtyTerms.isEmpty)
        #expect(statistics.dirtyShards.isEmpty)
        statistics.observe(distinct: [ids[3]])
        #expect(statistics.dirtyTerms == [ids[3]])
        #expect(statistics.onlineDocuments == 4)
    }
}
