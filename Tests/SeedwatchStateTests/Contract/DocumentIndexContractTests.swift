import Foundation
import SeedwatchCore
import Testing

/// What every `DocumentIndex` must give the dashboard, run against each implementation.
@Suite("DocumentIndex contract")
struct DocumentIndexContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func document(_ number: Int, topic: String? = nil, alerts: [String] = [], seconds: Double? = nil) -> IndexedDocument {
        IndexedDocument(
            id: "doc-\(number)", path: "in/\(number).txt", title: number == 0 ? nil : "Title <\(number)>", topic: topic,
            topicLabel: topic.map { "\($0) label at \(number)" }, alerts: alerts, time: start.addingTimeInterval(seconds ?? Double(number))
        )
    }

    @Test("documents page newest first; the cursor gives the next page without gaps or repeats", arguments: StateImplementation.all)
    func paging(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let index = try await implementation.open(folder).index
            #expect(try index.documents(limit: 10, before: nil) == [])
            for number in 0..<25 { try index.record(Self.document(number, topic: "topic-\(number % 3)")) }
            var seen: [String] = []
            var cursor: Int64?
            repeat {
                let page = try index.documents(limit: 10, before: cursor)
                seen += page.map(\.id)
                cursor = page.count == 10 ? page.last?.sequence : nil
            } while cursor != nil
            #expect(seen == (0..<25).reversed().map { "doc-\($0)" })
            let first = try #require(try index.documents(limit: 1, before: nil).first)
            #expect(first.title == "Title <24>")
            #expect(first.topic == "topic-0")
            #expect(first.time == Self.start.addingTimeInterval(24))
        }
    }

    @Test("recording an id again replaces its row and makes it the newest; remove drops it", arguments: StateImplementation.all)
    func replaceAndRemove(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let index = try await implementation.open(folder).index
            for number in 0..<3 { try index.record(Self.document(number, topic: "t")) }
            var again = Self.document(0, topic: "u", alerts: ["new_topic"])
            again.title = "retitled"
            try index.record(again)
            let rows = try index.documents(limit: 10, before: nil)
            #expect(rows.map(\.id) == ["doc-0", "doc-2", "doc-1"])
            #expect(rows.first?.title == "retitled")
            #expect(rows.first?.alerts == ["new_topic"])
            try index.remove(id: "doc-2")
            #expect(try index.documents(limit: 10, before: nil).map(\.id) == ["doc-0", "doc-1"])
        }
    }

    @Test("documents since a time come oldest first, bounded by the limit", arguments: StateImplementation.all)
    func since(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let index = try await implementation.open(folder).index
            for number in [5, 1, 3, 2, 4] { try index.record(Self.document(number)) }
            let rows = try index.documents(since: Self.start.addingTimeInterval(2), limit: 3)
            #expect(rows.map(\.id) == ["doc-2", "doc-3", "doc-4"])
        }
    }

    @Test("topics: label of the latest document, first and last seen, count; most recent first", arguments: StateImplementation.all)
    func topics(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let index = try await implementation.open(folder).index
            try index.record(Self.document(1, topic: "a"))
            try index.record(Self.document(2, topic: "b"))
            try index.record(Self.document(3, topic: "a"))
            try index.record(Self.document(4))
            let topics = try index.topics()
            #expect(topics.map(\.topic) == ["a", "b"])
            #expect(topics.first == TopicSummary(
                topic: "a", label: "a label at 3", firstSeen: Self.start.addingTimeInterval(1), lastSeen: Self.start.addingTimeInterval(3), documents: 2
            ))
        }
    }

    @Test("documents per minute count by the minute of their time", arguments: StateImplementation.all)
    func perMinute(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let index = try await implementation.open(folder).index
            // start is 1_800_000_000 s: minute 30_000_000 exactly.
            for (number, seconds) in [0.0, 59.9, 60, 185].enumerated() { try index.record(Self.document(number, seconds: seconds)) }
            let counts = try index.perMinute(since: Self.start.addingTimeInterval(30))
            #expect(counts == [
                MinuteCount(minute: Self.start, documents: 1), MinuteCount(minute: Self.start.addingTimeInterval(60), documents: 1),
                MinuteCount(minute: Self.start.addingTimeInterval(180), documents: 1),
            ])
        }
    }

    /// A result's bytes as written to the outbox: one line of JSON, any UTF-8 in it.
    static func resultBytes(_ number: Int, version: Int = 1) -> [UInt8] {
        Array(#"{"id":"doc-\#(number)","title":"Ärger über \#(version) «Zölle»","values":[1,2.5e-7,null]}"#.utf8) + [0x0A]
    }

    @Test("an index that stores no results keeps none and answers nil", arguments: StateImplementation.all.filter { !$0.storesResults })
    func noStoredResults(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let index = try await implementation.open(folder).index
            #expect(!index.storesResults)
            index.enqueue([.record(Self.document(1)), .result(id: "doc-1", bytes: Self.resultBytes(1))]) { Issue.record("enqueue failed: \($0)") }
            try index.store(result: Self.resultBytes(2), id: "doc-2")
            #expect(try index.result(id: "doc-1") == nil)
            #expect(try index.result(id: "doc-2") == nil)
            // The result change is ignored, the row beside it is not.
            #expect(try index.documents(limit: 5, before: nil).map(\.id) == ["doc-1"])
        }
    }

    @Test(
        "stored results come back byte for byte, are replaced when stored again, go with remove, and stay on reopening",
        arguments: StateImplementation.all.filter(\.storesResults)
    )
    func storedResults(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            do {
                let index = try await implementation.open(folder).index
                #expect(index.storesResults)
                #expect(try index.result(id: "doc-1") == nil)
                index.enqueue([.record(Self.document(1)), .result(id: "doc-1", bytes: Self.resultBytes(1))]) { Issue.record("enqueue failed: \($0)") }
                index.enqueue([.record(Self.document(2)), .result(id: "doc-2", bytes: Self.resultBytes(2))]) { Issue.record("enqueue failed: \($0)") }
                // A duplicate record: no row of its own, its result stored all the same.
                index.enqueue([.remove(id: "doc-3"), .result(id: "doc-3", bytes: Self.resultBytes(3))]) { Issue.record("enqueue failed: \($0)") }
                #expect(try index.result(id: "doc-1") == Self.resultBytes(1))
                #expect(try index.result(id: "doc-3") == Self.resultBytes(3))
                #expect(try index.documents(limit: 5, before: nil).map(\.id) == ["doc-2", "doc-1"])

                try index.store(result: Self.resultBytes(1, version: 2), id: "doc-1")
                #expect(try index.result(id: "doc-1") == Self.resultBytes(1, version: 2))
                try index.remove(id: "doc-2")
                #expect(try index.result(id: "doc-2") == nil)
                #expect(try index.documents(limit: 5, before: nil).map(\.id) == ["doc-1"])
            }
            let reopened = try await implementation.open(folder).index
            #expect(try reopened.result(id: "doc-1") == Self.resultBytes(1, version: 2))
            #expect(try reopened.result(id: "doc-3") == Self.resultBytes(3))
            #expect(try reopened.result(id: "doc-2") == nil)
        }
    }

    @Test("alerts come newest first and stay when their document goes; reopening keeps everything", arguments: StateImplementation.all)
    func alertsAndReopen(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            do {
                let index = try await implementation.open(folder).index
                try index.record(Self.document(1, topic: "a", alerts: ["new_topic"]))
                for (number, kind) in ["new_topic", "topic_shift", "new_topic"].enumerated() {
                    try index.record(IndexedAlert(
                        alertClass: kind, topic: "t\(number)", topicLabel: "label \(number)", documentID: "doc-1", documentPath: "in/1.txt",
                        time: Self.start.addingTimeInterval(Double(number))
                    ))
                }
                try index.remove(id: "doc-1")
            }
            let reopened = try await implementation.open(folder).index
            let alerts = try reopened.alerts(limit: 2)
            #expect(alerts.map(\.topic) == ["t2", "t1"])
            #expect(alerts.last?.alertClass == "topic_shift")
            #expect(alerts.last?.time == Self.start.addingTimeInterval(1))
            #expect(try reopened.documents(limit: 5, before: nil) == [])
            try reopened.record(Self.document(7))
            #expect(try reopened.documents(limit: 5, before: nil).map(\.id) == ["doc-7"])
        }
    }
}
