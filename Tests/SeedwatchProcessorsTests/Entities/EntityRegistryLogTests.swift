import Foundation
import SeedwatchCore
import Testing
import SeedwatchTestSupport
@testable import SeedwatchProcessors

/// The registry's changes as a log of documents between checkpoints.
@Suite(.ownThreads) struct EntityRegistryLogTests {
    /// Between checkpoints a document writes one row, its clusters; the checkpoint writes the
    /// entries and look-ups that changed and deletes the rows.
    @Test func betweenCheckpointsADocumentWritesOneRow() throws {
        let store = RecordingStore()
        let registry = EntityRegistry(store: store, checkpointDocs: 10)
        let documents = EntityRegistryCacheTests.syntheticDocuments(count: 10)
        for (index, clusters) in documents.prefix(9).enumerated() { _ = try registry.resolve(documentID: "d\(index)", clusters) }
        // Opening an empty store writes its counter once; then each document its clusters and
        // what it was given (`RecentResolutions`).
        #expect(store.writes.withLock { $0 } == ["registry/next"] + (0..<9).flatMap { [EntityRegistry.logKey($0), RecentResolutions.key($0)] })
        _ = try registry.resolve(documentID: "d9", documents[9])
        let keys = try store.keys(namespace: EntityRegistry.namespace)
        #expect(!keys.contains { $0.hasPrefix(EntityRegistry.logPrefix) }, "\(keys)")
        #expect(keys.contains("registry/next") && keys.contains { $0.hasPrefix("entity/") } && keys.contains { $0.hasPrefix("skeleton/") })
    }

    /// A registry dropped between checkpoints (as by `kill -9`) and made again from its store names
    /// every later entity as one that kept running; so does one stopped cleanly.
    @Test func aRegistryKilledBetweenCheckpointsResolvesAsOneThatKeptRunning() async throws {
        let documents = EntityRegistryCacheTests.syntheticDocuments(count: 250)
        func run(restartEvery: Int?, clean: Bool) async throws -> [[String]] {
            let store = MemoryStateStore()
            var registry = EntityRegistry(store: store, cacheSize: 8, checkpointDocs: 30)
            var resolved: [[String]] = []
            for (index, clusters) in documents.enumerated() {
                if let restartEvery, index > 0, index % restartEvery == 0 {
                    if clean { try await registry.checkpoint() }
                    registry = EntityRegistry(store: store, cacheSize: 8, checkpointDocs: 30)
                }
                resolved.append(try registry.resolve(documentID: nil, clusters).0.map { "\($0.name)|\($0.type)|\($0.documents)" })
            }
            return resolved
        }
        let kept = try await run(restartEvery: nil, clean: false)
        #expect(try await run(restartEvery: 17, clean: false) == kept)
        #expect(try await run(restartEvery: 17, clean: true) == kept)
    }

    /// A document resolved again, as after a kill -9 between the registry's write and the ledger
    /// row, gets the names and counts of its first visit and changes nothing: the documents after it
    /// are resolved as in a run without the kill. (Before `RecentResolutions`, its entities were
    /// counted twice.)
    @Test func aDocumentResolvedAgainAfterAKillCountsOnce() throws {
        let documents = EntityRegistryCacheTests.syntheticDocuments(count: 60)
        func names(_ resolved: [(name: String, type: String, documents: Int)]) -> [String] {
            resolved.map { "\($0.name)|\($0.type)|\($0.documents)" }
        }
        let reference = EntityRegistry(store: MemoryStateStore(), checkpointDocs: 25)
        let expected = try documents.enumerated().map { index, clusters in names(try reference.resolve(documentID: "d\(index)", clusters).0) }

        let store = MemoryStateStore()
        var registry = EntityRegistry(store: store, checkpointDocs: 25)
        var seen: [[String]] = []
        for (index, clusters) in documents.enumerated() {
            seen.append(names(try registry.resolve(documentID: "d\(index)", clusters).0))
            if index == 29 || index == 40 {
                // Killed after the write, before the ledger: a new registry from the store, the
                // document again, then the rest.
                registry = EntityRegistry(store: store, checkpointDocs: 25)
                #expect(names(try registry.resolve(documentID: "d\(index)", clusters).0) == seen[index])
            }
        }
        #expect(seen == expected)
        // Counts of the final state too: each document counted once.
        let again = EntityRegistry(store: store, checkpointDocs: 25)
        let probe = [documents[0][0]]
        #expect(names(try again.resolve(documentID: nil, probe).0) == names(try reference.resolve(documentID: nil, probe).0))
    }

    @Test func recentResolutionsRoundTrip() throws {
        let bytes = RecentResolutions.encode(number: 1030, id: "doc", resolved: [("BBC", "ORG", 3)])
        let decoded = try RecentResolutions.decode(bytes, key: "recent/6")
        #expect(decoded.number == 1030 && decoded.id == "doc" && decoded.resolved.map(\.name) == ["BBC"] && decoded.resolved.map(\.documents) == [3])
        var recent = RecentResolutions()
        try recent.restore(key: RecentResolutions.key(6), bytes: bytes)
        #expect(recent.slot(of: "doc") == 6 && recent.next == 1031)
        #expect(throws: CorruptState.self) { try recent.restore(key: RecentResolutions.key(7), bytes: bytes) }
    }

    @Test func clustersRoundTrip() throws {
        let clusters: [EntityRegistry.Cluster] = [("Ahmed al-Sharaa", "PER", ["Sharaa"], ["PER": 3, "ORG": 1]), ("BBC", "ORG", [], [:])]
        let decoded = try EntityRegistry.decodeClusters(EntityRegistry.encodeClusters(clusters), key: "log/1")
        #expect(decoded.map(\.name) == ["Ahmed al-Sharaa", "BBC"] && decoded.map(\.type) == ["PER", "ORG"])
        #expect(decoded[0].aliases == ["Sharaa"] && decoded[0].votes == ["PER": 3, "ORG": 1] && decoded[1].votes.isEmpty)
        #expect(throws: CorruptState.self) { _ = try EntityRegistry.decodeClusters([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 9], key: "log/1") }
    }
}
