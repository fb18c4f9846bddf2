import Foundation
import SeedwatchCore
import Testing
@testable import SeedwatchDaemon

/// `GET /api/*` and the checks on state-changing requests, through the control routes.
@Suite("dashboard API")
struct DashboardAPITests {
    static func json(_ response: ControlResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test("/api/documents pages newest first with next_before; /api/timeline gives documents since a time, oldest first")
    func documentsAndTimeline() async throws {
        let fixture = try DashboardFixture()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for number in 0..<5 {
            try fixture.addDocument(id: "d.\(number)", title: "T\(number)", topic: "topic-\(number % 2)", label: "l", alerts: number == 0 ? ["new_topic"] : [],
                                    time: start.addingTimeInterval(Double(number)))
        }
        let first = try Self.json(await fixture.call("GET", "/api/documents?limit=2"))
        let page = try #require(first["documents"] as? [[String: Any]])
        #expect(page.map { $0["id"] as? String } == ["d.4", "d.3"])
        #expect(page.first?["result"] as? String == "/documents/d.4")
        let cursor = try #require(first["next_before"] as? Int)
        let second = try Self.json(await fixture.call("GET", "/api/documents?limit=2&before=\(cursor)"))
        #expect((second["documents"] as? [[String: Any]])?.map { $0["id"] as? String } == ["d.2", "d.1"])
        let last = try Self.json(await fixture.call("GET", "/api/documents?limit=10&before=\(cursor)"))
        #expect(last["next_before"] is NSNull)

        let timeline = try Self.json(await fixture.call("GET", "/api/timeline?since=2027-01-15T08:00:02Z"))
        let documents = try #require(timeline["documents"] as? [[String: Any]])
        #expect(documents.map { $0["id"] as? String } == ["d.2", "d.3", "d.4"])
        #expect(documents.first?["time"] as? String == "2027-01-15T08:00:02.000Z")
        #expect(documents.first?["topic"] as? String == "topic-0")
        let all = try Self.json(await fixture.call("GET", "/api/timeline?since=2000-01-01T00:00:00Z"))
        #expect((all["documents"] as? [[String: Any]])?.first?["alerts"] as? [String] == ["new_topic"])

        for bad in ["/api/documents?limit=0", "/api/documents?limit=501", "/api/documents?before=x", "/api/timeline?since=yesterday", "/api/alerts?limit=-1"] {
            let response = await fixture.call("GET", bad)
            #expect(response.status == 400, "\(bad)")
        }
    }

    @Test("/api/topics and /api/alerts")
    func topicsAndAlerts() async throws {
        let fixture = try DashboardFixture()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try fixture.addDocument(id: "a.1", title: "x", topic: "topic-1", label: "old words", time: start)
        try fixture.addDocument(id: "a.2", title: "y", topic: "topic-1", label: "new words", time: start.addingTimeInterval(60))
        for (number, kind) in ["new_topic", "topic_shift"].enumerated() {
            try fixture.index.record(IndexedAlert(alertClass: kind, topic: "topic-\(number)", topicLabel: "w", documentID: "a.\(number + 1)",
                                                  documentPath: "/in/a", time: start.addingTimeInterval(Double(number))))
        }
        let topics = try #require(try Self.json(await fixture.call("GET", "/api/topics"))["topics"] as? [[String: Any]])
        #expect(topics.count == 1)
        #expect(topics.first?["label"] as? String == "new words")
        #expect(topics.first?["documents"] as? Int == 2)
        #expect(topics.first?["first_seen"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(topics.first?["last_seen"] as? String == "2027-01-15T08:01:00.000Z")
        let alerts = try #require(try Self.json(await fixture.call("GET", "/api/alerts"))["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["class"] as? String } == ["topic_shift", "new_topic"])
        #expect(alerts.first?["document_id"] as? String == "a.2")
        let page = await fixture.text("/alerts").body
        #expect(page.contains("<a href=\"/view/a.2\">/in/a</a>"))
    }

    @Test("a cross-site POST is refused (Sec-Fetch-Site, Origin); same-origin and header-less clients go through")
    func crossSite() async throws {
        let fixture = try DashboardFixture()
        try Data("x".utf8).write(to: URL(fileURLWithPath: fixture.watch + "/a.txt"))
        let form = ["content-type": "application/x-www-form-urlencoded", "host": "127.0.0.1:8080"]
        for headers in [["sec-fetch-site": "cross-site"], ["sec-fetch-site": "same-site"], ["origin": "http://evil.example"], ["origin": "null"]] {
            let refused = await fixture.call("POST", "/reprocess", "path=a.txt", headers: form.merging(headers) { $1 })
            #expect(refused.status == 403, "\(headers)")
            let submit = await fixture.call("POST", "/documents?name=b.txt", "hello", headers: headers)
            #expect(submit.status == 403, "\(headers)")
        }
        let sameOrigin = form.merging(["origin": "http://127.0.0.1:8080", "sec-fetch-site": "same-origin"]) { $1 }
        let redirected = await fixture.call("POST", "/reprocess", "path=a.txt", headers: sameOrigin)
        #expect(redirected.status == 303)
        #expect(redirected.headers["Location"] == "/quarantine?queued=a.txt")
        let missing = await fixture.call("POST", "/reprocess", "path=gone+file.txt", headers: sameOrigin)
        #expect(missing.status == 303)
        #expect(missing.headers["Location"]?.hasPrefix("/quarantine?failed=") == true)
        // curl and other clients send neither header.
        let plain = await fixture.call("POST", "/reprocess", #"{"path":"a.txt"}"#)
        #expect(plain.status == 202)
    }
}
