import Foundation
import SeedwatchCore
import Testing
@testable import SeedwatchProcessors

/// The registry's changes as a log of documents between checkpoints.
@Suite struct EntityRegistryLogTests {
    /// Between checkpoints a document writes one row, its clusters; the checkpoint writes the
    /// entries and look-ups that changed and deletes the rows.
    @Test func betweenCheckpointsADocumentWritesOneRow() throws {
        let store = RecordingStore()
        let registry = EntityRegistry(store: store, checkpointDocs: 10)
        let documents = EntityRegistryCacheTests.syntheticDocuments(count: 10)
        for clusters in documents.prefix(9) { _ = try registry.resolve(clusters) }
        // Opening an empty store writes its counter once.
        #expect(store.writes.withLock { $0 } == ["registry/next"] + (0..<9).map(EntityRegistry.logKey))
        _ = try registry.resolve(documents[9])
        let keys = try store.keys(namespace: EntityRegistry.namespace)
        #expect(!keys.contains { $0.hasPrefix(EntityRegistry.logPrefix) }, "\(keys)")
        #expect(keys.contains("registry/next") && keys.contains { $0.hasPrefix("entity/") } && keys.contains { $0.hasPrefix("skeleton/") })
    }

    /// A registry dropped between checkpoints (as by `kill -9`) and made again from its store names
    /// every later entity as one that kept running; so does one stopped cleanly.
    @Test func aRegistryKilledBetweenCheckpointsResolvesAsOneThatKeptRunning() throws {
        let documents = EntityRegistryCacheTests.syntheticDocuments(count: 250)
        func run(restartEvery: Int?, clean: Bool) throws -> [[String]] {
            let store = MemoryStateStore()
            var registry = EntityRegistry(store: store, cacheSize: 8, checkpointDocs: 30)
            return try documents.enumerated().map { index, clusters in
                if let restartEvery, index > 0, index % restartEvery == 0 {
                    if clean { try registry.checkpoint() }
                    registry = EntityRegistry(store: store, cacheSize: 8, checkpointDocs: 30)
                }
                return try registry.resolve(clusters).map { "\($0.name)|\($0.type)|\($0.documents)" }
            }
        }
        let kept = try run(restartEvery: nil, clean: false)
        #expect(try run(restartEvery: 17, clean: false) == kept)
        #expect(try run(restartEvery: 17, clean: true) == kept)
    }

    @Test func clustersRoundTrip() throws {
        let clusters: [EntityRegistry.Cluster] = [("Ahmed al-Sharaa", "PER", ["Sharaa"], ["PER": 3, "ORG": 1]), ("BBC", "ORG", [], [:])]
        let decoded = try EntityRegistry.decodeClusters(EntityRegistry.encodeClusters(clusters), key: "log/1")
        #expect(decoded.map(\.name) == ["Ahmed al-Sharaa", "BBC"] && decoded.map(\.type) == ["PER", "ORG"])
        #expect(decoded[0].aliases == ["Sharaa"] && decoded[0].votes == ["PER": 3, "ORG": 1] && decoded[1].votes.isEmpty)
        #expect(throws: CorruptState.self) { _ = try EntityRegistry.decodeClusters([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 9], key: "log/1") }
    }
}
