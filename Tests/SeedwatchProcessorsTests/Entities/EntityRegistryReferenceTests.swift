import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

/// The registry's turn keeps keys made in the parallel stage, compares hashes before words and
/// skips candidates that cannot win; it must name every entity as the plain algorithm does: all
/// entries in memory, every candidate compared word by word.
@Suite(.ownThreads) struct EntityRegistryReferenceTests {
    /// The registry's rules with nothing kept or skipped: a name's candidates are the entries
    /// listed under its names' last skeletons (at most `maxPosting` a list) and acronyms; of those
    /// a name matches, the one with the most documents, the lowest id on a tie.
    struct PlainRegistry {
        var entries: [EntityRegistry.Entry] = []
        var postings: [String: [Int]] = [:]
        var acronyms: [String: Int] = [:]

        static func keys(_ names: [String]) -> [NameKey] {
            names.map { NameKey(tokens: EntityRegistry.words($0)) }
        }

        mutating func resolve(_ clusters: [EntityRegistry.Cluster]) -> [String] {
            var touched = Set<Int>()
            return clusters.map { cluster in
                let found = find(cluster)
                let id = found ?? entries.count
                if found == nil {
                    entries.append(.init(id: id, name: cluster.name, type: cluster.type, aliases: [], documents: 0, typeVotes: [:]))
                }
                var entry = entries[id]
                // Keys indexed already; a new entry has none.
                let old = found == nil ? [] : Set(Self.keys([entry.name] + entry.aliases))
                if !touched.contains(id) { entry.documents += 1 }
                touched.insert(id)
                let current = NameKey(tokens: EntityRegistry.words(entry.name)).tokens.count
                if NameKey(tokens: EntityRegistry.words(cluster.name)).tokens.count > current && current == 1 { entry.name = cluster.name }
                for alias in cluster.aliases + [cluster.name] where !entry.aliases.contains(alias) && entry.aliases.count < EntityRegistry.maxAliases {
                    entry.aliases.append(alias)
                }
                for (type, votes) in cluster.votes { entry.typeVotes[type, default: 0] += votes }
                entry.type = entry.majorityType
                entries[id] = entry
                for key in Self.keys([entry.name] + entry.aliases) where !old.contains(key) {
                    if let last = key.tokens.last {
                        let skeleton = NameKey.skeleton(last)
                        if !postings[skeleton, default: []].contains(id) && postings[skeleton, default: []].count < EntityRegistry.maxPosting {
                            postings[skeleton, default: []].append(id)
                        }
                    }
                    if let acronym = key.acronym, acronyms[acronym] == nil { acronyms[acronym] = id }
                }
                return "\(entry.name)|\(entry.type)|\(entry.documents)"
            }
        }

        func find(_ cluster: EntityRegistry.Cluster) -> Int? {
            let keys = Self.keys([cluster.name] + cluster.aliases).filter { !$0.isEmpty }
            var candidates = Set<Int>()
            for key in keys {
                if let last = key.tokens.last { candidates.formUnion(postings[NameKey.skeleton(last)] ?? []) }
                for word in [key.acronym, key.bareWord].compactMap({ $0 }) { if let id = acronyms[word] { candidates.insert(id) } }
            }
            let numeric = MentionMerger.numericTypes
            var best: (id: Int, documents: Int)?
            for id in candidates.sorted() {
                let entry = entries[id]
                if numeric.contains(entry.type) != numeric.contains(cluster.type) { continue }
                if numeric.contains(entry.type) && entry.type != cluster.type { continue }
                let bothPeople = entry.type == "PER" && cluster.type == "PER"
                let sameKind = (entry.type == "PER") == (cluster.type == "PER") || entry.typeVotes[cluster.type] != nil
                let entryKeys = Self.keys([entry.name] + entry.aliases)
                let matches = keys.contains { key in
                    entryKeys.contains { RegistryKeyTests.plainNames(key, $0, bothPeople: bothPeople, sameKind: sameKind) }
                }
                if matches && (best.map { $0.documents < entry.documents } ?? true) { best = (id, entry.documents) }
            }
            return best?.id
        }
    }

    static func compare(_ documents: [[EntityRegistry.Cluster]], cacheSize: Int) throws -> (registry: [[String]], plain: [[String]]) {
        let registry = EntityRegistry(store: MemoryStateStore(), cacheSize: cacheSize)
        var plain = PlainRegistry()
        var names: [[String]] = [], expected: [[String]] = []
        for clusters in documents {
            names.append(try registry.resolve(documentID: nil, clusters).0.map { "\($0.name)|\($0.type)|\($0.documents)" })
            expected.append(plain.resolve(clusters))
        }
        return (names, expected)
    }

    /// The first document the two name differently, shown as both named it; nil when none.
    static func firstDifference(_ registry: [[String]], _ plain: [[String]]) -> String? {
        if registry.count != plain.count { return "\(registry.count) documents against \(plain.count)" }
        guard let index = registry.indices.first(where: { registry[$0] != plain[$0] }) else { return nil }
        return "document \(index): \(registry[index]) against \(plain[index])"
    }

    @Test func syntheticNamesResolveAsThePlainAlgorithm() throws {
        // 300 documents fill the "Party" list past its cap of 256.
        let documents = EntityRegistryCacheTests.syntheticDocuments(count: 300)
        let (registry, plain) = try Self.compare(documents, cacheSize: 16)
        #expect(Set(plain.joined()).count > 300)
        #expect(Self.firstDifference(registry, plain) == nil)
    }

    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func theSeedsResolveAsThePlainAlgorithm() async throws {
        let processor = EntitiesProcessor(store: MemoryStateStore())
        var documents: [[EntityRegistry.Cluster]] = []
        for document in try EntitySeedsTests.seedDocuments() {
            documents.append(try await processor.prepare(ProcessorInput(document: document)).clusters.map(\.cluster))
        }
        // Each seed twice, then once more: known entities, counted again.
        let (registry, plain) = try Self.compare(documents + documents + documents, cacheSize: EntityRegistry.defaultCacheSize)
        #expect(plain.joined().count > 50)
        #expect(plain.joined().contains { $0.hasSuffix("|3") })
        #expect(Self.firstDifference(registry, plain) == nil)
    }
}
