import Testing
@testable import SeedwatchText

/// Boilerplate removal on an HTML page shaped like a news site (written for this test).
@Suite struct HTMLBoilerplateTests {
    static let page = """
    <html><head><title>Council budget</title></head><body>
    <div class="crumbs"><a href="/">Home</a> <a href="/local">Local</a> <a href="/politics">Politics</a></div>
    <h1>Council approves school budget</h1>
    <p>By Jane Doe</p>
    <p>March 3, 2026</p>
    <div class="share"><a>Share</a> <a>Facebook</a> <a>Twitter</a> <a>WhatsApp</a></div>
    <p>The city council approved a larger budget for schools on Tuesday after a debate that lasted most of the night.</p>
    <p>Teachers will receive a raise of <a href="/pay">four per cent</a>, and the money for books doubles.</p>
    <p>Advertisement</p>
    <p>The mayor said the plan would be reviewed again next spring.</p>
    <h3>Related Articles</h3>
    <ul><li><a href="/a">Bridge reopens after repairs</a></li><li><a href="/b">Library extends its hours</a></li></ul>
    <p>&copy; 2026 Example Daily. All rights reserved.</p>
    </body></html>
    """

    @Test func keepsTheArticleAndRecordsEachRemoval() {
        let a = TextAnalyzer.analyze(text: Self.page, format: .html)
        #expect(a.paragraphs.map { String(a.text(of: $0)) } == [
            "Council approves school budget",
            "The city council approved a larger budget for schools on Tuesday after a debate that lasted most of the night.",
            "Teachers will receive a raise of four per cent, and the money for books doubles.",
            "The mayor said the plan would be reviewed again next spring.",
        ])
        #expect(a.removed.map(\.reason) == [
            // The related headlines are mostly link text, which the per-line pass already catches.
            .linkList, .byline, .date, .share, .callToAction, .relatedBlock, .linkList, .linkList, .copyright,
        ])
        #expect(a.removed.first?.line == 2)
    }
}
