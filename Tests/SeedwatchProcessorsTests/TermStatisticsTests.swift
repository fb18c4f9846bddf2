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

    @Test("interning a document's terms at once gives the ids and surfaces interning them one by one gives")
    func batchIntern() {
        func terms(_ words: [String]) -> [PreparedTopicDocument.Term] {
            words.map { PreparedTopicDocument.Term(term: $0, hash: $0.hashValue, surface: "as written: " + $0, tf: 1, forms: []) }
        }
        // An empty table first (nothing to look up), then one that has grown several times.
        var oneByOne = TermStatistics(background: .empty)
        var batched = TermStatistics(background: .empty)
        let first = terms(["syria", "tartus"])
        #expect(batched.intern(first) == first.map { oneByOne.intern($0.term, surface: $0.surface) })
        for n in 0..<3_000 {
            // Known terms without a surface, as the background model's are.
            _ = oneByOne.intern("t\(n)", surface: "")
            _ = batched.intern("t\(n)", surface: "")
        }
        let document = terms(["t5", "new", "t2999", "a long term past the small-string size", "syria", "t17", "caf\u{E9}", "newer"])
        let expected = document.map { oneByOne.intern($0.term, surface: $0.surface) }
        #expect(batched.intern(document) == expected)
        #expect(batched.intern(document) == expected)
        #expect(batched.terms == oneByOne.terms)
        #expect(batched.terms.indices.allSatisfy { batched.surface(Int32($0)) == oneByOne.surface(Int32($0)) })
        #expect(batched.surface(expected[0]) == "as written: t5")
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
