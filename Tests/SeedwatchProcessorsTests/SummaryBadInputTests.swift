import Foundation
import SeedwatchCore
import SeedwatchText
import Testing
import SeedwatchTestSupport
@testable import SeedwatchProcessors

/// Hostile and unusual inputs: each gives a valid result (possibly empty, with a reason), never a
/// crash or a hang. Sizes are chosen so that a quadratic step would not finish within the suite.
@Suite(.ownThreads) struct SummaryBadInputTests {
    private func summarize(_ text: String, format: DocumentFormat = .plain) -> (TextResult, SummaryResult) {
        let document = Document.fromText(text, format: format)
        let text = TextProcessor().analyze(document)
        return (text, SummaryProcessor().summarize(text.analysis))
    }

    @Test func emptyText() {
        let (text, summary) = summarize("")
        #expect(text.analysis.sentences.isEmpty)
        #expect(summary.sentences.isEmpty)
        #expect(summary.reason == "empty input")
    }

    @Test func whitespaceOnly() {
        let (_, summary) = summarize(" \n\n\t \n")
        #expect(summary.sentences.isEmpty)
        #expect(summary.reason == "no visible text")
    }

    @Test func onlyBoilerplate() {
        let page = "Share this\n\nadmin\n\nLeave a comment\n\nRelated Posts\n\n1 of 1,510\n\nCopyright 2026 Example. All rights reserved.\n"
        let (text, summary) = summarize(page)
        #expect(text.analysis.removed.count == 6)
        #expect(summary.sentences.isEmpty)
        #expect(summary.reason?.hasPrefix("only boilerplate") == true)
    }

    @Test func oneEnormousSentence() {
        let words = ["council", "budget", "schools", "the", "and", "teachers", "money", "city"]
        var text = ""
        for i in 0..<200_000 { text += words[i % words.count] + (i % 7 == 0 ? ", " : " ") }
        text += "end."
        let (analysis, summary) = summarize(text)
        // Cut into bounded sentences, so the similarity graph stays capped.
        #expect(analysis.analysis.sentences.allSatisfy { $0.tokenRange.count <= 400 })
        #expect(summary.sentences.count == 3)
    }

    @Test func tenMegabytesWithoutPunctuation() {
        let unit = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
        let text = String(repeating: unit, count: 10_000_000 / unit.utf8.count + 1)
        #expect(text.utf8.count >= 10_000_000)
        let (analysis, summary) = summarize(text)
        #expect(analysis.analysis.sentences.count > 1_000)
        #expect(summary.sentences.count == 3)
        #expect(summary.sentences.allSatisfy { $0.text.utf8.count < 10_000 })
    }

    @Test(arguments: [
        "Москва объявила о новых переговорах. Встреча пройдёт в среду. Стороны обсудят базы.",
        "أعلنت موسكو عن محادثات جديدة. سيعقد الاجتماع يوم الأربعاء. سيناقش الطرفان القواعد.",
        "モスクワは新たな協議を発表した。会談は水曜日に行われる。双方は基地について話し合う。",
        "\u{200F}שלום עולם.\u{200F} \u{202B}זה מבחן.\u{202C} \u{200E}Mixed text here.\u{200E}",
    ])
    func nonLatinScriptsAndBidiMarks(text: String) {
        let (analysis, summary) = summarize(text)
        #expect(analysis.analysis.sentences.count >= 2)
        #expect(!summary.sentences.isEmpty)
        #expect(!analysis.analysis.text.unicodeScalars.contains { [0x200E, 0x200F, 0x202B, 0x202C].contains($0.value) })
    }

    @Test func brokenHTMLAndMarkdown() {
        let html = "<html><body><p>Unclosed <b>bold <div>The council met. It voted.<script>while(1){}"
        let (h, _) = summarize(html, format: .html)
        // The <div> opens a block, so "Unclosed bold" is a paragraph of its own; the script is dropped.
        #expect(h.analysis.sentences.count == 3)
        #expect(h.analysis.text.hasSuffix("The council met. It voted."))
        let md = "![](x) [broken link(\n\n# \n\nThe council met today. It voted yes."
        let (m, summary) = summarize(md, format: .markdown)
        #expect(m.analysis.sentences.count >= 2)
        #expect(!summary.sentences.isEmpty)
    }
}
