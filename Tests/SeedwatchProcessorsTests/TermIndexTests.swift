import Testing
@testable import SeedwatchProcessors

/// The term → id table that replaced a `[String: Int32]`: every term found under its id through
/// several growths, absent terms not found, canonically equal spellings found as one term.
@Suite("TermIndex")
struct TermIndexTests {
    @Test("finds every inserted term under its id across growths, and nothing else")
    func findsInsertedTerms() {
        var terms: [String] = []
        var index = TermIndex()
        for n in 0..<5_000 {
            terms.append(n % 7 == 0 ? "a long term past the small-string size \(n)" : "t\(n)")
            index.insert(Int32(n), in: terms)
        }
        #expect(index.count == 5_000)
        #expect(terms.indices.allSatisfy { index.id(of: terms[$0], in: terms) == Int32($0) })
        #expect(index.id(of: "t5000", in: terms) == nil)
        #expect(index.id(of: "", in: terms) == nil)
        #expect(TermIndex().id(of: "t0", in: []) == nil)
    }

    @Test("a term written with a combining accent is the term written precomposed, as a dictionary key was")
    func canonicalEquivalence() {
        let terms = ["caf\u{E9}"]
        var index = TermIndex()
        index.insert(0, in: terms)
        #expect(index.id(of: "cafe\u{301}", in: terms) == 0)
    }

    @Test("interning through TermStatistics gives ids in first-seen order and finds them again")
    func statisticsInterning() {
        var statistics = TermStatistics(background: .empty)
        let words = ["syria", "tartus", "syria", "damascus", "tartus"]
        let ids = words.map { statistics.intern($0, surface: $0) }
        #expect(ids == [0, 1, 0, 2, 1])
        #expect(statistics.id(of: "damascus") == 2)
        #expect(statistics.id(of: "aleppo") == nil)
        #expect(statistics.term(2) == "damascus")
    }
}
