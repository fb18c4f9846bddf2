import Testing
@testable import SeedwatchText

/// Random inputs from a fixed-seed generator: nothing traps, offsets stay inside the text.
@Suite struct RobustnessTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let pieces = [
        "a", "e", "s", "ies", "ed", "ing", "y", "sses", "Mr.", "U.S.", ".", "!", "?", "\"", "'", "<p>", "</p>", "<a",
        ">", "<script>", "&amp;", "&#x", ";", "![", "](", ")", "[", "]", "#", "*", "\n", "\n\n", " ", "\r", "é",
        "e\u{301}", "\u{200F}", "東", "。", "؟", "мир", "—", "“", "1.5", "1,510", "-", "Share this", "Related Posts",
    ]

    @Test func randomSoupNeverTraps() {
        var g = Generator(state: 42)
        for _ in 0..<600 {
            var text = ""
            for _ in 0..<g.next(60) { text += Self.pieces[g.next(Self.pieces.count)] }
            for format in TextFormat.allCases {
                let a = TextAnalyzer.analyze(text: text, format: format)
                let size = a.text.utf8.count
                #expect(a.tokens.allSatisfy { $0.start >= 0 && $0.start < $0.end && $0.end <= size })
                #expect(a.sentences.allSatisfy { $0.tokenRange.upperBound <= a.tokens.count && !$0.tokenRange.isEmpty })
                #expect(a.paragraphs.allSatisfy { $0.sentenceRange.upperBound <= a.sentences.count })
            }
        }
    }

    @Test func stemmerHandlesAnyLowercaseWord() {
        var g = Generator(state: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        let suffixes = ["", "s", "ies", "sses", "ed", "eed", "ing", "ational", "ization", "ness", "ement", "ion", "e", "ll", "y"]
        for _ in 0..<3_000 {
            var word = String(decoding: (0..<g.next(6)).map { _ in letters[g.next(letters.count)] }, as: UTF8.self)
            word += suffixes[g.next(suffixes.count)]
            let stem = PorterStemmer.stem(word)
            #expect(stem.utf8.count <= max(word.utf8.count, 3) + 1)
        }
    }
}
