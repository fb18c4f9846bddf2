import Testing
@testable import SeedwatchText

/// Title detection per format; every text here is written for the test.
@Suite struct TextTitleTests {
    static let body = "The city council approved a new budget for schools on Tuesday. Parents welcomed it.\n\nThe mayor said the budget would be reviewed next year."

    @Test func plainFirstLineFollowedByABlankLineIsTheTitle() throws {
        let analysis = TextAnalyzer.analyze(text: "Council backs school budget\n\n" + Self.body, format: .plain)
        let title = try #require(analysis.title)
        #expect(title.text == "Council backs school budget")
        #expect(title.source == .firstLine)
        #expect(title.sentenceRange == 0..<1)
        #expect(analysis.text(of: analysis.sentences[0]) == "Council backs school budget")
        #expect(analysis.isTitle(sentence: 0) && !analysis.isTitle(sentence: 1))
        #expect(analysis.bodySentenceCount == 3)
        #expect(analysis.sentences.count == 4)
    }

    @Test func aLongTitleStaysApartWhenBoilerplateSatBetweenItAndTheBody() throws {
        let text = "Council backs the school budget after a long and heated debate\n\nShare this\n" + Self.body
        let analysis = TextAnalyzer.analyze(text: text, format: .plain)
        let title = try #require(analysis.title)
        #expect(title.sentenceRange == 0..<1)
        #expect(analysis.text(of: analysis.sentences[0]) == "Council backs the school budget after a long and heated debate")
        #expect(analysis.bodySentenceCount == 3)
    }

    @Test func noTitleWhenTheFirstLineEndsLikeASentence() {
        for first in ["The council met on Tuesday.", "Is the budget enough?", "The council said:"] {
            let analysis = TextAnalyzer.analyze(text: first + "\n\n" + Self.body, format: .plain)
            #expect(analysis.title == nil, "\(first)")
            #expect(analysis.bodySentenceCount == analysis.sentences.count)
        }
    }

    @Test func noTitleWithoutABlankLineAfterTheFirstLine() {
        let analysis = TextAnalyzer.analyze(text: "Council backs school budget\n" + Self.body, format: .plain)
        #expect(analysis.title == nil)
        let alone = TextAnalyzer.analyze(text: "Council backs school budget\n\n", format: .plain)
        #expect(alone.title == nil)
    }

    @Test func markdownLevelOneHeadingIsTheTitle() throws {
        let atx = TextAnalyzer.analyze(text: "# Council backs *school* budget\n\n" + Self.body, format: .markdown)
        #expect(atx.title?.text == "Council backs school budget")
        #expect(atx.title?.source == .markdownHeading)
        #expect(atx.title?.sentenceRange == 0..<1)
        let setext = TextAnalyzer.analyze(text: "Council backs school budget\n===\n\n" + Self.body, format: .markdown)
        #expect(setext.title?.source == .markdownHeading)
        #expect(setext.title?.text == "Council backs school budget")
        let later = TextAnalyzer.analyze(
            text: Self.body + "\n\n# Council backs school budget\n\nThe vote was close, and the opposition said it would ask for a review.",
            format: .markdown)
        let title = try #require(later.title)
        #expect(title.source == .markdownHeading)
        #expect(title.sentenceRange == 3..<4)
        #expect(later.text(of: later.sentences[title.sentenceRange.lowerBound]) == "Council backs school budget")
    }

    @Test func markdownWithoutAHeadingFallsBackToTheFirstLine() {
        let analysis = TextAnalyzer.analyze(text: "Council backs school budget\n\n" + Self.body, format: .markdown)
        #expect(analysis.title?.source == .firstLine)
        let hashtag = TextAnalyzer.analyze(text: "#budget day for the council.\n\n" + Self.body, format: .markdown)
        #expect(hashtag.title == nil)
    }

    @Test func htmlTitleElementComesFirstAndTheH1IsNotBody() throws {
        let html = "<html><head><title>Council &amp; schools:  budget | Daily</title></head><body><h1>Council backs budget</h1><p>The city council approved a new budget. Parents welcomed it.</p></body></html>"
        let analysis = TextAnalyzer.analyze(text: html, format: .html)
        let title = try #require(analysis.title)
        #expect(title.text == "Council & schools: budget | Daily")
        #expect(title.source == .htmlTitle)
        #expect(title.sentenceRange == 0..<1)
        #expect(analysis.bodySentenceCount == 2)
    }

    @Test func htmlFirstLineRepeatingTheTitleElementIsNotBody() {
        let html = "<title>Council backs budget</title><p>Council backs budget</p><p>The city council approved a new budget. Parents welcomed it.</p>"
        let analysis = TextAnalyzer.analyze(text: html, format: .html)
        #expect(analysis.title?.source == .htmlTitle)
        #expect(analysis.title?.sentenceRange == 0..<1)
        #expect(analysis.bodySentenceCount == 2)
    }

    @Test func htmlFirstH1WhenThereIsNoTitleElement() {
        let html = "<body><p>Filed under politics, news and more today</p><h1>Council backs budget</h1><p>The city council approved a new budget. Parents welcomed it.</p><h1>Other</h1></body>"
        let analysis = TextAnalyzer.analyze(text: html, format: .html)
        #expect(analysis.title?.text == "Council backs budget")
        #expect(analysis.title?.source == .htmlH1)
        #expect(analysis.title.map { analysis.text(of: analysis.sentences[$0.sentenceRange.lowerBound]) } == "Council backs budget")
    }

    @Test func htmlWithoutTitleOrH1HasNone() {
        let analysis = TextAnalyzer.analyze(text: "<p>Council backs budget</p><p>The city council approved a new budget.</p>", format: .html)
        #expect(analysis.title == nil)
        let empty = TextAnalyzer.analyze(text: "<title> </title><p>The city council approved a new budget.</p>", format: .html)
        #expect(empty.title == nil)
    }
}
