import Testing
@testable import SeedwatchText

@Suite struct SentenceSplitterTests {
    private func sentences(_ s: String) -> [String] {
        SentenceSplitter().split(s).map { sentence in
            let utf8 = Array(s.utf8)
            return String(decoding: utf8[sentence.byteRange], as: UTF8.self)
        }
    }

    @Test func abbreviationsInitialsAndDecimalsDoNotEnd() {
        let s = "Mr. Smith met Dr. Jones on Jan. 5 in the U.S. capital. Gen. Lee won 3.5 points. George W. Bush spoke."
        #expect(sentences(s) == [
            "Mr. Smith met Dr. Jones on Jan. 5 in the U.S. capital.", "Gen. Lee won 3.5 points.", "George W. Bush spoke.",
        ])
    }

    @Test func dottedAbbreviationEndsBeforeAnOpener() {
        #expect(sentences("Sales rose in the U.S. The firm said so.").count == 2)
    }

    @Test func quotesStayWithTheirSentence() {
        let s = "\"We won,\" he said. \"Why?\" she asked. \"It ends here.\" Then it did!"
        #expect(sentences(s) == ["\"We won,\" he said.", "\"Why?\" she asked.", "\"It ends here.\"", "Then it did!"])
    }

    @Test func nonLatinTerminals() {
        #expect(sentences("今日は晴れ。明日は雨。").count == 2)
        #expect(sentences("Это тест. Второе предложение.").count == 2)
        #expect(sentences("هذا اختبار؟ نعم").count == 2)
    }

    @Test func longRunsAreCut() {
        let s = String(repeating: "word ", count: 1000)
        #expect(SentenceSplitter(maxTokens: 400).split(s).count == 3)
    }
}
