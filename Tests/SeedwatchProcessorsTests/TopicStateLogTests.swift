import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

/// The tracker's state as a log of documents between checkpoints (`TopicStateLog`).
@Suite(.ownThreads) struct TopicStateLogTests {
    /// A tracker dropped without a checkpoint or a stop (as by `kill -9`) and made again from its
    /// store decides exactly as one that kept running, across checkpoints and count deltas. Before
    /// the log, the term counts since the last checkpoint were lost and later similarities differed.
    @Test(.enabled(if: SharedData.available("eval/topics/bbc_stream_dev.jsonl"), "needs ../shared/eval/topics"))
    func aTrackerKilledBetweenCheckpointsDecidesAsOneThatKeptRunning() async throws {
        let documents = try TopicRestartTests.observations(700)
        let background = try TopicFixtures.background()
        var configuration = TopicTrackerConfiguration()
        configuration.checkpointDocs = 40
        let running = try TopicTracker(configuration: configuration, background: background, store: MemoryStateStore())
        var expected: [TopicsResult] = []
        for document in documents { expected.append(try await running.observe(document)) }

        let store = MemoryStateStore()
        var tracker = try TopicTracker(configuration: configuration, background: background, store: store)
        var results: [TopicsResult] = []
        var sawCountDeltas = false
        for (index, document) in documents.enumerated() {
            sawCountDeltas = try sawCountDeltas || store.keys(namespace: TopicTracker.namespace).contains { $0.hasPrefix(TopicStateLog.countsDeltaPrefix) }
            if index > 0 && index % 97 == 0 {
                tracker = try TopicTracker(configuration: configuration, background: background, store: store)
                #expect(await tracker.documentCount == index)
            }
            results.append(try await tracker.observe(document))
        }
        let first = zip(results, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(first == nil, "first difference at document \(first?.offset ?? -1): \(String(describing: first?.element.0)) vs \(String(describing: first?.element.1))")
        #expect(sawCountDeltas, "counts were written as deltas")
        #expect(try store.keys(namespace: TopicTracker.namespace).contains { $0.hasPrefix("df/") && $0 != "df/documents" }, "and whole")
    }

    /// Between checkpoints a document writes its observation and its result (`recent/<slot>`, for a
    /// document taken again after a kill) and nothing else; the checkpoint writes what changed and
    /// deletes the observations.
    @Test func betweenCheckpointsADocumentWritesItsObservationAndResult() async throws {
        let store = RecordingStore()
        var configuration = TopicTrackerConfiguration()
        configuration.checkpointDocs = 10
        let tracker = try TopicTracker(configuration: configuration, background: .empty, store: store)
        let stream = TopicFixtures.sportBlock + TopicFixtures.marketsBlock
        for (index, text) in stream.prefix(9).enumerated() {
            _ = try await tracker.observe(TopicObservation(id: "d\(index)", text: text))
        }
        #expect(store.writes.withLock { $0 } == (0..<9).flatMap { [TopicStateLog.key(TopicStateLog.logPrefix, $0), RecentObservations.key($0)] })
        _ = try await tracker.observe(TopicObservation(id: "d9", text: stream[9]))
        let keys = try store.keys(namespace: TopicTracker.namespace)
        #expect(!keys.contains { $0.hasPrefix(TopicStateLog.logPrefix) }, "\(keys)")
        #expect(keys.contains("meta") && keys.contains { $0.hasPrefix("story/") } && keys.contains { $0.hasPrefix("theme/") })
    }

    /// A store as the per-document writer left it (every changed key rewritten at once, counts in
    /// shards only, no log) still opens, and the tracker continues the stream from it.
    @Test func aStoreWithoutALogOpensAndContinues() async throws {
        let stream = TopicFixtures.sportBlock + TopicFixtures.marketsBlock + TopicFixtures.sportBlock
        let store = MemoryStateStore()
        var configuration = TopicTrackerConfiguration()
        configuration.checkpointDocs = 1_000
        let running = try TopicTracker(configuration: configuration, background: .empty, store: store)
        var expected: [TopicsResult] = []
        for (index, text) in stream.enumerated() { expected.append(try await running.observe(TopicObservation(id: "d\(index)", text: text))) }
        // The keys of that earlier format: a checkpoint with its count deltas folded into shards.
        try await running.checkpoint()
        try foldCountDeltasIntoShards(store)
        #expect(try !store.keys(namespace: TopicTracker.namespace).contains { $0.hasPrefix("log/") || $0.hasPrefix("dfd/") })
        let reopened = try TopicTracker(configuration: configuration, background: .empty, store: store)
        #expect(await reopened.documentCount == stream.count)
        let next = try await reopened.observe(TopicObservation(id: "next", text: TopicFixtures.marketsBlock[0]))
        let kept = try await running.observe(TopicObservation(id: "next", text: TopicFixtures.marketsBlock[0]))
        #expect(next == kept)
    }

    /// A damaged log row, or a gap in the log, is reported naming the key, not replayed around.
    @Test func aDamagedOrIncompleteLogIsReportedNotTrusted() async throws {
        let damaged = MemoryStateStore()
        try damaged.save(namespace: TopicTracker.namespace, key: TopicStateLog.key(TopicStateLog.logPrefix, 0), value: [1, 2, 3])
        #expect(throws: TopicsError.self) { _ = try TopicTracker(background: .empty, store: damaged) }
        let gap = MemoryStateStore()
        let row = TopicStateLog.encode(TopicObservation(id: "a", text: TopicFixtures.sportBlock[0]))
        try gap.save(namespace: TopicTracker.namespace, key: TopicStateLog.key(TopicStateLog.logPrefix, 1), value: row)
        #expect(throws: TopicsError.self) { _ = try TopicTracker(background: .empty, store: gap) }
        try gap.save(namespace: TopicTracker.namespace, key: TopicStateLog.key(TopicStateLog.logPrefix, 0), value: row)
        #expect(try await TopicTracker(background: .empty, store: gap).documentCount == 2)
    }

    @Test func anObservationRoundTrips() throws {
        let observation = TopicObservation(id: "a", path: "/in/a.txt", title: "Title", text: "Body é", entities: ["BBC", "Ahmed al-Sharaa"])
        let decoded = try TopicStateLog.decodeObservation(TopicStateLog.encode(observation), key: "log/1")
        #expect(decoded.id == "a" && decoded.path == "/in/a.txt" && decoded.title == "Title" && decoded.text == "Body é")
        #expect(decoded.entities == observation.entities)
        #expect(throws: CorruptState.self) { _ = try TopicStateLog.decodeObservation([1, 2, 3], key: "log/1") }
    }

    /// Rewrites the store as the earlier format kept it: counts in `df/<shard>` only.
    private func foldCountDeltasIntoShards(_ store: MemoryStateStore) throws {
        let ns = TopicTracker.namespace
        var counts: [String: TermStatistics.StoredCount] = [:]
        for key in try store.keys(namespace: ns) where key.hasPrefix("df/") && key != "df/documents" || key.hasPrefix("dfd/") {
            for stored in try TopicEngine.decodeCounts(try #require(try store.load(namespace: ns, key: key)), key: key) { counts[stored.term] = stored }
            try store.remove(namespace: ns, key: key)
        }
        var shards: [Int: [TermStatistics.StoredCount]] = [:]
        for stored in counts.values.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) { shards[TermStatistics.shard(of: stored.term), default: []].append(stored) }
        for (shard, list) in shards { try store.save(namespace: ns, key: "df/\(shard)", value: TopicEngine.encodeCounts(list)) }
    }
}

/// A memory store that also lists the keys saved, in order.
final class RecordingStore: ProcessorStateStore {
    let base = MemoryStateStore()
    let writes = Locked<[String]>([])

    func load(namespace: String, key: String) throws -> [UInt8]? { try base.load(namespace: namespace, key: key) }
    func save(namespace: String, key: String, value: [UInt8]) throws {
        writes.withLock { $0.append(key) }
        try base.save(namespace: namespace, key: key, value: value)
    }
    func remove(namespace: String, key: String) throws { try base.remove(namespace: namespace, key: key) }
    func keys(namespace: String) throws -> [String] { try base.keys(namespace: namespace) }
    func apply(namespace: String, _ changes: [ProcessorStateChange]) throws {
        writes.withLock { $0 += changes.map { if case let .save(key, _) = $0 { key } else { "-" } } }
        try base.apply(namespace: namespace, changes)
    }
}
