import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

/// The registry keeps only recently used entities in memory and reads the rest from the store:
/// the bound must not change any canonical name, type or document count.
@Suite(.ownThreads) struct EntityRegistryCacheTests {
    /// Far more entities than any test registers: nothing is ever evicted.
    static let unbounded = 10_000_000

    static func runSeeds(cacheSize: Int, restartEvery: Int? = nil, store: MemoryStateStore = MemoryStateStore()) async throws -> [EntitiesResult] {
        var processor = EntitiesProcessor(tagger: EntitiesProcessor.shippedTagger, store: store, registryCache: cacheSize)
        var results: [EntitiesResult] = []
        for (index, document) in try EntitySeedsTests.seedDocuments().enumerated() {
            if let restartEvery, index > 0, index % restartEvery == 0 {
                processor = EntitiesProcessor(tagger: EntitiesProcessor.shippedTagger, store: store, registryCache: cacheSize)
            }
            let output = try await processor.process(ProcessorInput(document: document))
            results.append(try #require(output as? EntitiesResult))
        }
        return results
    }

    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func aTinyCacheGivesTheSameResultsAsAnUnboundedOne() async throws {
        let unbounded = try await Self.runSeeds(cacheSize: Self.unbounded)
        #expect(unbounded.flatMap(\.entities).count > 20)
        #expect(try await Self.runSeeds(cacheSize: 1) == unbounded)
        #expect(try await Self.runSeeds(cacheSize: 3) == unbounded)
        // Restarts between documents with a tiny cache: everything comes from the store.
        #expect(try await Self.runSeeds(cacheSize: 2, restartEvery: 1) == unbounded)
    }

    /// The seed documents: the first three through a registry with an unbounded cache, then
    /// `change` made to its store, then the rest through a new one with a cache of 1 (everything
    /// read from the store). Returns the results of the rest.
    static func resultsAfterChangingTheStore(
        _ store: MemoryStateStore, _ change: (MemoryStateStore) throws -> Void
    ) async throws -> [EntitiesResult] {
        let documents = try EntitySeedsTests.seedDocuments()
        let first = EntitiesProcessor(tagger: EntitiesProcessor.shippedTagger, store: store, registryCache: Self.unbounded)
        for document in documents.prefix(3) { _ = try await first.process(ProcessorInput(document: document)) }
        // The checkpoint: the stored keys as earlier versions wrote them (no log).
        try await first.stop()
        try change(store)
        let later = EntitiesProcessor(tagger: EntitiesProcessor.shippedTagger, store: store, registryCache: 1)
        var results: [EntitiesResult] = []
        for document in documents.dropFirst(3) {
            results.append(try #require(try await later.process(ProcessorInput(document: document)) as? EntitiesResult))
        }
        return results
    }

    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func aStoreWithoutStoredLookUpsIsIndexedOnStart() async throws {
        let unbounded = try await Self.runSeeds(cacheSize: Self.unbounded)
        let store = MemoryStateStore()
        // Entries only, as the registry stored them when it kept its look-ups in memory.
        let results = try await Self.resultsAfterChangingTheStore(store) { store in
            for key in try store.keys(namespace: EntityRegistry.namespace) where !key.hasPrefix("entity/") {
                try store.remove(namespace: EntityRegistry.namespace, key: key)
            }
        }
        #expect(results == Array(unbounded.dropFirst(3)))
        #expect(try store.keys(namespace: EntityRegistry.namespace).contains("registry/next"))
    }

    @Test func entriesRoundTripInTheBinaryFormAndDamagedOnesAreNotTrusted() throws {
        let entry = EntityRegistry.Entry(
            id: 42, name: "Ahmed al-Sharaa", type: "PER", aliases: ["Sharaa", "Ahmad al-Sharaa", "ﾃｽﾄ"], documents: 7,
            typeVotes: ["PER": 9, "ORG": 1, "LOC": 1]
        )
        let bytes = EntityRegistry.encodeEntry(entry)
        let decoded = try #require(EntityRegistry.decodeEntry(bytes, id: 42))
        #expect(decoded.name == entry.name && decoded.type == entry.type && decoded.aliases == entry.aliases)
        #expect(decoded.documents == 7 && decoded.typeVotes == entry.typeVotes)
        // The same entry is the same bytes, whatever the dictionary's order.
        #expect(EntityRegistry.encodeEntry(decoded) == bytes)
        #expect(EntityRegistry.decodeEntry(bytes, id: 41) == nil)
        for cut in [0, 1, 8, 20, bytes.count - 1] {
            #expect(EntityRegistry.decodeEntry(Array(bytes.prefix(cut)), id: 42) == nil)
        }
        #expect(EntityRegistry.decodeEntry(bytes + [0], id: 42) == nil)
        var hugeCount = bytes
        hugeCount.replaceSubrange(8..<16, with: [UInt8](repeating: 0xFF, count: 8))
        #expect(EntityRegistry.decodeEntry(hugeCount, id: 42) == nil)
    }

    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func entriesStoredAsJSONByEarlierVersionsAreStillRead() async throws {
        let unbounded = try await Self.runSeeds(cacheSize: Self.unbounded)
        var rewritten = 0
        let results = try await Self.resultsAfterChangingTheStore(MemoryStateStore()) { store in
            for key in try store.keys(namespace: EntityRegistry.namespace) where key.hasPrefix("entity/") {
                let bytes = try #require(try store.load(namespace: EntityRegistry.namespace, key: key))
                let id = try #require(Int(key.dropFirst("entity/".count)))
                let entry = try #require(EntityRegistry.decodeEntry(bytes, id: id))
                try store.save(namespace: EntityRegistry.namespace, key: key, value: Array(try JSONEncoder().encode(entry)))
                rewritten += 1
            }
        }
        #expect(rewritten > 5)
        #expect(results == Array(unbounded.dropFirst(3)))
    }

    /// Made-up clusters in the shapes the registry merges: transliterated spellings, bare
    /// surnames before and after full names, acronyms and their expansions, one name for a person
    /// and a place, and many names sharing a last word (long candidate lists).
    static func syntheticDocuments(count: Int) -> [[EntityRegistry.Cluster]] {
        let first = ["Ahmed", "Ahmad", "Vladimir", "Bashar", "Maria", "Mariya", "John", "Jon"]
        let last = ["al-Sharaa", "Sharaa", "Putin", "al-Assad", "Assad", "Jordan", "Smith", "Smyth", "Tartus", "Tartous"]
        let orgs = ["Syrian Democratic Forces", "SDF", "Hayat Tahrir al-Sham", "HTS", "Democratic Party", "Labour Party",
                    "Green Party", "Party", "World Health Organization", "WHO", "U.N.", "United Nations"]
        var seed: UInt64 = 20_031
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in
            (0..<(3 + next(8))).map { _ in
                switch next(5) {
                case 0, 1:
                    let surname = last[next(last.count)]
                    let name = next(3) == 0 ? surname : "\(first[next(first.count)]) \(surname)"
                    let type = surname == "Jordan" && next(2) == 0 ? "LOC" : "PER"
                    return (name, type, next(2) == 0 ? [surname] : [], [type: 1 + next(3)])
                case 2:
                    let name = orgs[next(orgs.count)]
                    return (name, "ORG", [], ["ORG": 1, "LOC": next(2)])
                case 3:
                    // A long list of distinct names under one skeleton ("Party").
                    let name = "Party \(["Alpha", "Beta", "Gamma", "Delta"][next(4)]) \(next(400)) Party"
                    return (name, "ORG", [], ["ORG": 1])
                default:
                    let place = last[next(last.count)]
                    return (place, "LOC", [], ["LOC": 1, "MISC": next(2)])
                }
            }
        }
    }

    @Test func aTinyCacheMergesSyntheticNamesAsAnUnboundedOne() throws {
        let documents = Self.syntheticDocuments(count: 300)
        func run(cacheSize: Int, restartEvery: Int?, store: MemoryStateStore = MemoryStateStore()) throws -> [[String]] {
            var registry = EntityRegistry(store: store, cacheSize: cacheSize)
            return try documents.enumerated().map { index, clusters in
                if let restartEvery, index % restartEvery == restartEvery - 1 { registry = EntityRegistry(store: store, cacheSize: cacheSize) }
                return try registry.resolve(documentID: nil, clusters).0.map { "\($0.name)|\($0.type)|\($0.documents)" }
            }
        }
        let store = MemoryStateStore()
        let unbounded = try run(cacheSize: Self.unbounded, restartEvery: nil, store: store)
        let names = unbounded.joined()
        #expect(Set(names).count > 300 && Set(names).count < names.count)
        // The "Party" list reached its cap of 256 entries: which ids it keeps must not depend on the cache.
        let party = try #require(try store.load(namespace: EntityRegistry.namespace, key: "skeleton/prt"))
        #expect(party.split(separator: UInt8(ascii: ",")).count == EntityRegistry.maxPosting)
        #expect(try run(cacheSize: 1, restartEvery: nil) == unbounded)
        #expect(try run(cacheSize: 16, restartEvery: nil) == unbounded)
        #expect(try run(cacheSize: 4, restartEvery: 13) == unbounded)
    }
}
