import Foundation
import SeedwatchCore
import Testing
@testable import SeedwatchDaemon

/// The dashboard's pages and assets, called through the control routes: content types, the
/// security headers, no inline script or style, and every piece of data shown as text.
@Suite("dashboard pages")
struct DashboardPageTests {
    static let hostile = "<script>alert(1)</script>"
    static let pages = ["/", "/timeline", "/alerts", "/quarantine"]

    @Test("every page is HTML with a restrictive Content-Security-Policy, and needs no inline script or style")
    func headersAndNoInline() async throws {
        let fixture = try DashboardFixture()
        try fixture.addDocument(id: "a.1", title: "A story", topic: "topic-1", label: "harbour tram", alerts: ["new_topic"])
        for page in Self.pages + ["/view/a.1"] {
            let (response, body) = await fixture.text(page)
            #expect(response.status == 200, "\(page)")
            #expect(response.contentType == "text/html; charset=utf-8", "\(page)")
            let policy = try #require(response.headers["Content-Security-Policy"], "\(page)")
            for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
                #expect(policy.contains(directive), "\(page): \(directive)")
            }
            #expect(!policy.contains("unsafe-inline"))
            #expect(response.headers["X-Content-Type-Options"] == "nosniff")
            // Scripts only by src; no style elements or attributes; no event-handler attributes.
            #expect(!body.contains("<script>"), "\(page)")
            #expect(body.contains("<script src=\"/assets/dashboard.js\" defer></script>"), "\(page)")
            #expect(!body.contains("<style"), "\(page)")
            #expect(!body.contains(" style="), "\(page)")
            #expect(body.range(of: #" on[a-z]+="#, options: .regularExpression) == nil, "\(page)")
            let withoutNamespace = body.replacingOccurrences(of: #"xmlns="http://www.w3.org/2000/svg""#, with: "")
            #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"), "\(page) names nothing elsewhere")
        }
    }

    @Test("assets come from the binary with their content types; unknown ones are 404")
    func assets() async throws {
        let fixture = try DashboardFixture()
        for (path, type) in [("/assets/dashboard.css", "text/css; charset=utf-8"), ("/assets/dashboard.js", "text/javascript; charset=utf-8"),
                             ("/assets/icon.svg", "image/svg+xml"), ("/favicon.ico", "image/svg+xml")] {
            let (response, body) = await fixture.text(path)
            #expect(response.status == 200)
            #expect(response.contentType == type)
            #expect(!body.isEmpty)
        }
        #expect(await fixture.call("GET", "/assets/nothing.js").status == 404)
        #expect(await fixture.call("POST", "/timeline").status == 405)
    }

    @Test("a hostile title, label and path are shown as text on every page and in the SVG")
    func escaping() async throws {
        let fixture = try DashboardFixture()
        try fixture.addDocument(id: "evil.1", title: Self.hostile, topic: "topic-9", label: "<b>label</b>", alerts: ["new_topic"])
        try fixture.index.record(IndexedAlert(
            alertClass: "new_topic", topic: "topic-9", topicLabel: "<img src=x>", documentID: "evil.1", documentPath: "\"><script>x</script>", time: Date()
        ))
        try #"{"code":"binary","message":"<script>alert(1)</script>","advice":"a & b","relative_path":"<i>q</i>.bin","time":"2026-12-07T10:00:00.000Z"}"#
            .write(toFile: fixture.quarantine + "/q.bin.error.json", atomically: true, encoding: .utf8)
        for page in Self.pages + ["/view/evil.1", "/timeline.svg", "/quarantine?queued=%3Cscript%3E"] {
            let (response, body) = await fixture.text(page)
            #expect(response.status == 200, "\(page)")
            #expect(!body.contains("<script>alert"), "\(page)")
            #expect(!body.contains("<script>x"), "\(page)")
            #expect(!body.contains("<b>label"), "\(page)")
            #expect(!body.contains("<img src=x"), "\(page)")
            #expect(!body.contains("<i>q"), "\(page)")
        }
        #expect(await fixture.text("/view/evil.1").body.contains("<h1 id=\"document-title\">&lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
        #expect(await fixture.text("/timeline.svg").body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(await fixture.text("/quarantine").body.contains("value=\"&lt;i&gt;q&lt;/i&gt;.bin\""))
        #expect(HTML.escape(#"<a href="x" title='y'>&"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;")
    }

    @Test("the document page shows title, summary, entities by type with aliases, topic, timings and the raw JSON link")
    func documentPage() async throws {
        let fixture = try DashboardFixture()
        try fixture.addDocument(id: "story.1", title: "Trams return", topic: "topic-3", label: "harbour tram", alerts: ["new_topic"])
        let (response, body) = await fixture.text("/view/story.1")
        #expect(response.status == 200)
        for part in ["Trams return", "First chosen sentence.", "<h3>Location</h3>", "Oslo", "also Christiania", "<h3>Person</h3>", "Ada Lovelace",
                     "topic-3: harbour tram", "badge new_topic", "<td>text</td><td>ok</td><td class=\"number\">1.500</td>",
                     "<a href=\"/documents/story.1\" id=\"raw-json\">Raw JSON</a>"] {
            #expect(body.contains(part), "missing \(part)")
        }
        #expect(await fixture.call("GET", "/view/missing.1").status == 404)
        #expect(await fixture.call("GET", "/view/..").status == 400)
    }

    @Test("the timeline draws a lane per story labelled in words, a mark per document linking to it, alerts marked")
    func timeline() async throws {
        let fixture = try DashboardFixture()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try fixture.addDocument(id: "a.1", title: "One", topic: "topic-1", label: "harbour tram strike", alerts: ["new_topic"], time: start)
        try fixture.addDocument(id: "a.2", title: "Two", topic: "topic-1", label: "harbour tram strike", time: start.addingTimeInterval(10))
        try fixture.addDocument(id: "b.1", title: "Three", topic: "topic-2", label: "glacier survey", alerts: ["new_topic", "topic_shift"],
                                time: start.addingTimeInterval(20))
        let body = await fixture.text("/timeline").body
        #expect(body.contains(">harbour tram strike</text>"))
        #expect(body.contains(">glacier survey</text>"))
        #expect(body.components(separatedBy: "<a href=\"/view/").count - 1 == 3)
        #expect(body.components(separatedBy: "class=\"mark new_topic").count - 1 == 2)
        #expect(body.contains("class=\"shift\""))
        #expect(body.contains("data-live=\"timeline\""))
        #expect(body.contains("data-sequence=\"3\""))
    }

    @Test("the overview shows the status and sixty minutes of documents per minute")
    func overview() async throws {
        let fixture = try DashboardFixture()
        let now = Date()
        for seconds in [0.0, 1, 2] { try fixture.addDocument(id: "n.\(Int(seconds))", title: "t", topic: "topic-1", label: "l", time: now.addingTimeInterval(-seconds)) }
        let body = await fixture.text("/").body
        #expect(body.contains("data-status=\"processed\""))
        #expect(body.contains("data-status=\"queue_depth\""))
        #expect(body.contains("Documents per minute over the last hour: 3 in all"))
    }
}
