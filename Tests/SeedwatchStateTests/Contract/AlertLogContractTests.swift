import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing

/// Ordering and durability every `AlertLog` must give, run against each implementation.
@Suite("AlertLog contract")
struct AlertLogContractTests {
    static func alert(_ number: Int) -> RaisedAlert {
        RaisedAlert(
            alertClass: number.isMultiple(of: 2) ? "new_topic" : "topic_surge", messageID: String(repeating: "0", count: 31) + "\(number % 10)",
            message: "alert \(number)", fields: ["TOPIC_ID": "t\(number)"],
            record: .object(["topic_id": .string("t\(number)"), "number": .integer(number), "label": .string("ünïcode / \"quoted\"")])
        )
    }

    @Test("alerts come back in the order they were appended, each with class, message id and time", arguments: StateImplementation.all)
    func ordering(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let log = try await implementation.open(folder).alerts
            #expect(try log.alerts() == [])
            for number in 0..<50 { try log.append(Self.alert(number), time: Date(timeIntervalSince1970: 1_700_000_000 + Double(number))) }
            let kept = try log.alerts()
            #expect(kept.map { $0["number"] } == (0..<50).map { Optional(JSONValue.integer($0)) })
            #expect(kept.first?["class"] == .string("new_topic"))
            #expect(kept.first?["message_id"] == .string(String(repeating: "0", count: 32)))
            #expect(kept.first?["time"] == .string("2023-11-14T22:13:20.000Z"))
            #expect(kept.last?["label"] == .string("ünïcode / \"quoted\""))
        }
    }

    @Test("alerts appended at once all land, each once", arguments: StateImplementation.all)
    func concurrent(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let log = try await implementation.open(folder).alerts
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Each on a thread of its own, as the daemon's writers are: a database round trip
                // must not hold a thread of Swift's pool.
                for number in 0..<100 { group.addTask { try await OffPool.run { try log.append(Self.alert(number), time: Date()) } } }
                try await group.waitForAll()
            }
            let numbers = try log.alerts().compactMap { $0["number"] }
            #expect(numbers.count == 100)
            #expect(Set(numbers.map { "\($0)" }).count == 100)
        }
    }

    static func documentAlert(_ alertClass: String, document: String, topic: String) -> RaisedAlert {
        RaisedAlert(
            alertClass: alertClass, messageID: String(repeating: "0", count: 32), message: "\(alertClass) \(topic)", fields: [:],
            record: .object(["document_id": .string(document), "topic_id": .string(topic)])
        )
    }

    /// A document processed again after a kill -9 raises its alerts again; before this rule each
    /// raising added a line.
    @Test("an alert raised again for the same document and topic is kept once, also after reopening", arguments: StateImplementation.all)
    func raisedAgain(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            do {
                let log = try await implementation.open(folder).alerts
                try log.append(Self.documentAlert("new_topic", document: "a.txt.1", topic: "topic-1"), time: Date())
                try log.append(Self.documentAlert("new_topic", document: "a.txt.1", topic: "topic-1"), time: Date())
                try log.append(Self.documentAlert("topic_shift", document: "a.txt.1", topic: "theme-1"), time: Date())
            }
            let reopened = try await implementation.open(folder).alerts
            try reopened.append(Self.documentAlert("new_topic", document: "a.txt.1", topic: "topic-1"), time: Date())
            try reopened.append(Self.documentAlert("new_topic", document: "b.txt.2", topic: "topic-2"), time: Date())
            let kept = try reopened.alerts().map { [$0["class"], $0["document_id"]] }
            #expect(kept == [
                [.string("new_topic"), .string("a.txt.1")], [.string("topic_shift"), .string("a.txt.1")], [.string("new_topic"), .string("b.txt.2")],
            ])
        }
    }

    @Test("reopening keeps every alert, in order", arguments: StateImplementation.all)
    func reopen(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            do {
                let log = try await implementation.open(folder).alerts
                for number in 0..<5 { try log.append(Self.alert(number), time: Date()) }
            }
            let reopened = try await implementation.open(folder).alerts
            try reopened.append(Self.alert(5), time: Date())
            #expect(try reopened.alerts().map { $0["number"] } == (0..<6).map { Optional(JSONValue.integer($0)) })
        }
    }
}
