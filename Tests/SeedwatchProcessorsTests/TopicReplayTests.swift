import SeedwatchCore
import Testing
@testable import SeedwatchProcessors

/// A document processed again after a kill -9 (the tracker stored it, the ledger did not record
/// it): the tracker gives back its first result, alerts included, and the stream goes on as if
/// there had been no kill (`RecentObservations`, docs/RELIABILITY.md "Alerts across kill -9").
@Suite("Topic tracker: a document observed again")
struct TopicReplayTests {
    static let stream = TopicFixtures.sportBlock + TopicFixtures.sportBlock + TopicFixtures.marketsBlock + TopicFixtures.marketsBlock

    static func configuration() -> TopicTrackerConfiguration {
        var configuration = TopicTrackerConfiguration()
        configuration.checkpointDocs = 1  // term counts written every document: only the replay is at stake
        return configuration
    }

    static func observation(_ index: Int) -> TopicObservation {
        TopicObservation(id: "d\(index)", path: "/watch/d\(index).txt", text: stream[index])
    }

    static func uninterrupted() async throws -> [TopicsResult] {
        let tracker = try TopicTracker(configuration: configuration(), background: .empty, store: MemoryStateStore())
        var results: [TopicsResult] = []
        for index in stream.indices { results.append(try await tracker.observe(observation(index))) }
        return results
    }

    /// Before `RecentObservations`, the second observation of a document was a near-duplicate of
    /// itself: no alerts, its story counted twice, and the shift window one document longer.
    @Test("after a kill, the documents in flight get their first results back, alerts included, and later ones are decided as without the kill")
    func replayAfterKill() async throws {
        let reference = try await Self.uninterrupted()
        let alerted = reference.indices.filter { !reference[$0].alerts.isEmpty }
        try #require(alerted.count >= 2, "the stream raises a new_topic and a topic_shift")
        for killedAfter in alerted {
            let store = MemoryStateStore()
            let before = try TopicTracker(configuration: Self.configuration(), background: .empty, store: store)
            for index in 0...killedAfter { _ = try await before.observe(Self.observation(index)) }
            // Restarted: the last two documents were stored by the tracker, not recorded by the ledger.
            let after = try TopicTracker(configuration: Self.configuration(), background: .empty, store: store)
            var results: [TopicsResult] = []
            for index in max(0, killedAfter - 1)..<Self.stream.count { results.append(try await after.observe(Self.observation(index))) }
            #expect(results == Array(reference[max(0, killedAfter - 1)...]), "killed after document \(killedAfter)")
            #expect(await after.documentCount == Self.stream.count)
        }
    }

    /// The sequence is the arrival order the decisions were made in: a document observed again
    /// keeps its first place, and a cluster's results show the order one node replays it in.
    @Test("each result carries its place in the stream; a result kept before places were recorded decodes without one")
    func sequence() async throws {
        let reference = try await Self.uninterrupted()
        #expect(reference.map(\.sequence) == reference.indices.map { Optional($0) })
        var kept = RecentObservations()
        try kept.restore(key: RecentObservations.key(3), bytes: RecentObservations.encode(id: "d3", result: reference[3]))
        #expect(kept.result(for: "d3") == reference[3])
        // A row as written before the sequence was kept: the same fields without the last one (a
        // sequence of none is written as -1, one varint byte).
        var unplaced = reference[4]
        unplaced.sequence = nil
        let older = Array(RecentObservations.encode(id: "d4", result: unplaced).dropLast())
        try kept.restore(key: RecentObservations.key(4), bytes: older)
        #expect(kept.result(for: "d4") == unplaced)
        #expect(kept.result(for: "d4")?.topic == reference[4].topic)
    }

    @Test("a damaged replay slot is reported as corrupt state")
    func damagedSlot() async throws {
        let store = MemoryStateStore()
        let tracker = try TopicTracker(configuration: Self.configuration(), background: .empty, store: store)
        _ = try await tracker.observe(Self.observation(0))
        try store.save(namespace: TopicTracker.namespace, key: "recent/0", value: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: TopicsError.self) { try TopicTracker(configuration: Self.configuration(), background: .empty, store: store) }
        try store.remove(namespace: TopicTracker.namespace, key: "recent/0")
        try store.save(namespace: TopicTracker.namespace, key: "recent/99999", value: RecentObservations.encode(id: "x", result: TopicsResult(
            topic: "none", label: "", similarity: 0, theme: nil, alerts: [], nearDuplicateOf: nil
        )))
        #expect(throws: TopicsError.self) { try TopicTracker(configuration: Self.configuration(), background: .empty, store: store) }
    }
}
