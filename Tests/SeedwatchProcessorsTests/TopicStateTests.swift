import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

@Suite("Topic tracker state")
struct TopicStateTests {
    /// A new tracker on the same store continues the stream: same story, no second new_topic.
    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func restartNeitherRealertsNorForgets() async throws {
        let files = TopicFixtures.seedFiles
        try #require(files.count == 5)
        let store = MemoryStateStore()
        let background = try TopicFixtures.background()
        let before = try TopicTracker(background: background, store: store)
        var first: [TopicsResult] = []
        for file in files.prefix(3) { first.append(try await before.observe(TopicFixtures.seed(file))) }
        #expect(first.flatMap(\.alerts).filter { $0.alertClass == .newTopic }.count == 1)

        let after = try TopicTracker(background: background, store: store)
        #expect(await after.documentCount == 3)
        for file in files.dropFirst(3) {
            let result = try await after.observe(TopicFixtures.seed(file))
            #expect(result.topic == first[0].topic)
            #expect(result.alerts.isEmpty)
        }
        // Story numbering continues, so a new story does not reuse an old id.
        let unrelated = try await after.observe(TopicObservation(id: "orchard", text: TopicFixtures.unrelatedArticle))
        #expect(unrelated.topic != first[0].topic)
        #expect(unrelated.alerts.contains { $0.alertClass == .newTopic })
    }

    /// Shift evidence still open at a restart is kept: a stream stopped after the first document of
    /// a new block raises its topic_shift where an uninterrupted run does.
    @Test func restartKeepsOpenShiftEvidence() async throws {
        var configuration = TopicTrackerConfiguration()
        configuration.checkpointDocs = 1  // term counts written every document, so only the evidence is at stake
        let stream = TopicFixtures.sportBlock + TopicFixtures.sportBlock + TopicFixtures.marketsBlock + TopicFixtures.marketsBlock
        func shifts(restartAfter: Int?) async throws -> [Int] {
            let store = MemoryStateStore()
            var tracker = try TopicTracker(configuration: configuration, background: .empty, store: store)
            var found: [Int] = []
            for (index, text) in stream.enumerated() {
                if index == restartAfter { tracker = try TopicTracker(configuration: configuration, background: .empty, store: store) }
                let result = try await tracker.observe(TopicObservation(id: "d\(index)", text: text))
                if result.alerts.contains(where: { $0.alertClass == .topicShift }) { found.append(index) }
            }
            return found
        }
        let uninterrupted = try await shifts(restartAfter: nil)
        #expect(uninterrupted.count == 1)
        #expect(try await shifts(restartAfter: 13) == uninterrupted)
    }

    @Test func restartRemembersNearDuplicates() async throws {
        let store = MemoryStateStore()
        let background = try TopicFixtures.background()
        let before = try TopicTracker(background: background, store: store)
        let original = try await before.observe(TopicObservation(id: "ferry-1", text: TopicFixtures.wireStory))
        let after = try TopicTracker(background: background, store: store)
        let copy = try await after.observe(TopicObservation(id: "ferry-2", text: TopicFixtures.wireCopy))
        #expect(copy.nearDuplicateOf == "ferry-1")
        #expect(copy.topic == original.topic)
    }

    @Test func onlineTermStatisticsSurviveACheckpoint() async throws {
        let store = MemoryStateStore()
        var configuration = TopicTrackerConfiguration()
        configuration.checkpointDocs = 1
        let tracker = try TopicTracker(configuration: configuration, background: .empty, store: store)
        _ = try await tracker.observe(TopicObservation(id: "a", text: TopicFixtures.wireStory))
        let keys = try store.keys(namespace: TopicTracker.namespace)
        #expect(keys.contains("df/documents"))
        #expect(keys.contains { $0.hasPrefix("story/") })
        #expect(keys.contains("meta"))
    }

    /// Online counts are stored with each term's id and surface; counts stored before (fixed-width,
    /// term and count only) still load, as terms without ids.
    @Test func onlineCountsKeepTermIdsAndOlderCountsStillLoad() throws {
        let counts = [
            TermStatistics.StoredCount(term: "compani", count: 3, id: 17, surface: "company"),
            TermStatistics.StoredCount(term: "=bbc", count: 1, id: 4_000, surface: "BBC"),
        ]
        #expect(try TopicEngine.decodeCounts(TopicEngine.encodeCounts(counts), key: "df/1") == counts)
        var legacy = StateCodecTests.FixedWidthWriter()
        legacy.int(2)
        legacy.string("compani")
        legacy.float(3)
        legacy.string("elect")
        legacy.float(1.5)
        #expect(try TopicEngine.decodeCounts(legacy.bytes, key: "df/2") == [
            TermStatistics.StoredCount(term: "compani", count: 3), TermStatistics.StoredCount(term: "elect", count: 1.5),
        ])
        // Restored in id order under their ids, with a placeholder where a term is missing.
        var statistics = TermStatistics(background: .empty)
        statistics.restore(onlineDocuments: 5, counts: [
            .init(term: "b", count: 2, id: 2, surface: "Bs"), .init(term: "a", count: 1, id: 0, surface: "As"),
            .init(term: "old", count: 4),
        ])
        #expect(statistics.id(of: "a") == 0 && statistics.id(of: "b") == 2 && statistics.id(of: "old") == 3)
        #expect(statistics.surface(2) == "Bs" && statistics.online == [1, 0, 2, 4])
        // A damaged id far past the store does not fill memory with placeholders: the term goes last.
        var damaged = TermStatistics(background: .empty)
        damaged.restore(onlineDocuments: 1, counts: [.init(term: "x", count: 1, id: Int32.max, surface: "x")])
        #expect(damaged.terms == ["x"] && damaged.online == [1])
    }

    @Test func damagedStateIsReportedNotTrusted() throws {
        let store = MemoryStateStore()
        try store.save(namespace: TopicTracker.namespace, key: "meta", value: [1, 2, 3])
        #expect(throws: TopicsError.self) {
            _ = try TopicTracker(background: .empty, store: store)
        }
    }

    /// A near-duplicate entry with a negative sequence (a damaged database; FuzzStateDecoders found
    /// it) is refused; it used to be placed at a negative slot, and the restore trapped.
    @Test func aNegativeNearDuplicateSequenceIsReportedNotATrap() async throws {
        let store = MemoryStateStore()
        let tracker = try TopicTracker(background: .empty, store: store)
        _ = try await tracker.observe(TopicObservation(id: "ferry-1", text: TopicFixtures.wireStory))
        try await tracker.checkpoint()
        let slots = try store.keys(namespace: TopicTracker.namespace).filter { $0.hasPrefix("dup/") }
        let slot = try #require(slots.first)
        let stored = try #require(try store.load(namespace: TopicTracker.namespace, key: slot))
        // The entry begins with its sequence: replace it, keep the rest as written.
        var reader = StateReader(stored, key: slot)
        var sequence = StateWriter()
        sequence.int(try reader.int())
        var damaged = StateWriter()
        damaged.int(-3)
        try store.save(namespace: TopicTracker.namespace, key: slot, value: damaged.bytes + stored.dropFirst(sequence.bytes.count))
        #expect(throws: TopicsError.self) {
            _ = try TopicTracker(background: .empty, store: store)
        }
    }

    /// Found by FuzzStateDecoders: a `meta` with a negative sequence restored, and the next document
    /// trapped on a near-duplicate slot out of range.
    @Test func aNegativeSequenceInMetaIsReportedNotATrap() async throws {
        let store = MemoryStateStore()
        let tracker = try TopicTracker(background: .empty, store: store)
        _ = try await tracker.observe(TopicObservation(id: "ferry-1", text: TopicFixtures.wireStory))
        try await tracker.checkpoint()
        let stored = try #require(try store.load(namespace: TopicTracker.namespace, key: "meta"))
        // `meta` begins with its format version, then the sequence: replace the sequence, keep the rest.
        var reader = StateReader(stored, key: "meta")
        var head = StateWriter()
        head.int(try reader.int())
        var both = head
        both.int(try reader.int())
        var damaged = head
        damaged.int(-3)
        try store.save(namespace: TopicTracker.namespace, key: "meta", value: damaged.bytes + stored.dropFirst(both.bytes.count))
        #expect(throws: TopicsError.self) {
            _ = try TopicTracker(background: .empty, store: store)
        }
    }
}
