import Testing
@testable import SeedwatchText

@Suite struct FormatTests {
    @Test func htmlDropsFurnitureAndKeepsBlocks() {
        let html = """
        <!doctype html><html><head><title>T</title><style>p{color:red}</style></head><body>
        <nav><a href="/">Home</a> <a href="/w">World</a></nav>
        <header><h1>Site</h1></header>
        <article><h1>Big news today</h1>
        <p>First paragraph with &amp; and &ldquo;quotes&rdquo; and &#233;t&#xE9;.</p>
        <script>var x = "<p>not text</p>";</script>
        <p>Second <b>bold</b> paragraph<br>with a break.
        <div>Broken <i>markup never closed
        </article><aside>Side</aside><form>Leave a comment</form><footer>Foot</footer></body></html>
        """
        let lines = HTMLExtractor.lines(of: html).map(\.text)
        #expect(lines == [
            "Big news today", "First paragraph with & and \"quotes\" and été.", "Second bold paragraph",
            "with a break.", "Broken markup never closed",
        ])
    }

    @Test func htmlToleratesStrayAngles() {
        let lines = HTMLExtractor.lines(of: "<p>a < b and c > d</p><p>x <unclosed").map(\.text)
        #expect(lines == ["a < b and c > d", "x <unclosed"])
    }

    @Test func markdownStripsMarkupAndImages() {
        let md = """
        # Title here

        Some **bold** and _emphasis_ with a [link text](http://x.y) and ![alt](img.png) image.
        - item `code`
        [ref]: http://example.com
        """
        let lines = MarkdownExtractor.lines(of: md).map(\.text)
        #expect(lines == ["Title here", "Some bold and emphasis with a link text and image.", "item code"])
    }
}

@Suite struct AnalyzerTests {
    @Test func paragraphsSentencesAndRemovedLines() {
        let text = """
        Share this

        The council approved the new budget on Tuesday. Mr. Brown said it was fair.

        Critics said the plan would raise taxes for most families in the city.

        Copyright 2026 Example News. All rights reserved.
        """
        let a = TextAnalyzer.analyze(text: text, format: .plain)
        #expect(a.paragraphs.count == 2)
        #expect(a.sentences.count == 3)
        #expect(a.removed.map(\.reason) == [.share, .copyright])
        #expect(a.removed.map(\.line) == [1, 7])
        #expect(a.text(of: a.sentences[1]) == "Mr. Brown said it was fair.")
        #expect(a.paragraphs[1].sourceLine == 5)
        #expect(a.emptyReason == nil)
    }

    @Test func hardWrappedLinesJoinHeadingsDoNot() {
        let text = "Context of the Meeting\nThe talks began early in the morning and they went on\nuntil late at night.\n"
        let a = TextAnalyzer.analyze(text: text, format: .plain)
        #expect(a.paragraphs.count == 2)
        #expect(a.sentences.count == 2)
    }

    @Test func emptyAndBoilerplateOnlyHaveReasons() {
        #expect(TextAnalyzer.analyze(text: "", format: .plain).emptyReason == "empty input")
        let only = TextAnalyzer.analyze(text: "Share this\n\nLeave a comment\n\n1 of 1,510\n", format: .plain)
        #expect(only.sentences.isEmpty)
        #expect(only.removed.count == 3)
        #expect(only.emptyReason?.hasPrefix("only boilerplate") == true)
    }
}
