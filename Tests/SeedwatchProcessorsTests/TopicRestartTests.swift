import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

/// A tracker restarted on its store decides exactly as one that kept running: the same story,
/// theme, similarity and alerts for every later document.
@Suite(.ownThreads) struct TopicRestartTests {
    static let stream = SharedData.url("eval/topics/bbc_stream_dev.jsonl")

    static func observations(_ count: Int) throws -> [TopicObservation] {
        let lines = try String(contentsOf: stream, encoding: .utf8).split(separator: "\n").prefix(count)
        return try lines.enumerated().map { index, line in
            let object = try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8))
            return TopicObservation(id: "doc-\(index)", text: object["text"]?.stringValue ?? "")
        }
    }

    @Test(.enabled(if: SharedData.available("eval/topics/bbc_stream_dev.jsonl"), "needs ../shared/eval/topics"))
    func aRestartedTrackerDecidesAsOneThatKeptRunning() async throws {
        let documents = try Self.observations(700)
        let background = try TopicFixtures.background()
        let running = try TopicTracker(background: background, store: MemoryStateStore())
        var expected: [TopicsResult] = []
        for document in documents { expected.append(try await running.observe(document)) }

        let store = MemoryStateStore()
        var tracker = try TopicTracker(background: background, store: store)
        var results: [TopicsResult] = []
        for (index, document) in documents.enumerated() {
            if index > 0 && index % 111 == 0 {
                try await tracker.checkpoint()
                tracker = try TopicTracker(background: background, store: store)
            }
            results.append(try await tracker.observe(document))
        }
        let first = zip(results, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(first == nil, "first difference at document \(first?.offset ?? -1): \(String(describing: first?.element.0)) vs \(String(describing: first?.element.1))")
    }
}
