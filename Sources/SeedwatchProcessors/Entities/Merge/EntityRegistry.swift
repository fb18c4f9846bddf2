import Foundation
import SeedwatchCore

/// The entities seen across documents, so the same entity keeps the same canonical name in
/// every result. Kept in the processor's state store (the state database under the daemon).
///
/// Documents are processed concurrently, so all reads and writes go through one lock; the
/// store calls are synchronous and short, and holding the lock across them keeps the in-memory
/// view and the stored one in step.
final class EntityRegistry: Sendable {
    struct Entry: Codable, Sendable {
        var id: Int
        var name: String
        var type: String
        var aliases: [String]
        var documents: Int
        /// Mentions per type over all documents: the entity's type is the majority, so one
        /// document's tagging slip does not change it.
        var typeVotes: [String: Int]

        var majorityType: String {
            typeVotes.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? type
        }
    }

    private struct State {
        var loaded = false
        var entries: [Entry] = []
        /// Skeleton of each alias's last token → entry ids.
        var index: [String: [Int]] = [:]
        var byAcronym: [String: Int] = [:]
        /// Normalised names of each entry (name first, then aliases), kept so matching does not
        /// fold the same strings again for every document.
        var keys: [[NameKey]] = []
    }

    static let namespace = "entities"
    static let maxAliases = 24
    private let store: any ProcessorStateStore
    private let state = Locked(State())

    init(store: any ProcessorStateStore) {
        self.store = store
    }

    /// The canonical name and document count for each cluster of one document, registering new
    /// entities and recording new aliases.
    func resolve(_ clusters: [(name: String, type: String, aliases: [String], votes: [String: Int])]) throws -> [(name: String, type: String, documents: Int)] {
        try state.withLock { state in
            try loadIfNeeded(&state)
            var results: [(name: String, type: String, documents: Int)] = []
            var touched = Set<Int>()
            for cluster in clusters {
                let id = find(cluster, in: state) ?? add(cluster, to: &state)
                var entry = state.entries[id]
                let before = (name: entry.name, aliases: entry.aliases, new: id >= state.keys.count)
                if !touched.contains(id) { entry.documents += 1 }
                touched.insert(id)
                // A fuller name replaces a bare surname seen first ("Sharaa" → "Ahmed al-Sharaa").
                let current = NameKey(tokens: Self.words(entry.name))
                let offered = NameKey(tokens: Self.words(cluster.name))
                if offered.tokens.count > current.tokens.count && current.tokens.count == 1 {
                    entry.name = cluster.name
                }
                for alias in cluster.aliases + [cluster.name] where !entry.aliases.contains(alias) && entry.aliases.count < Self.maxAliases {
                    entry.aliases.append(alias)
                }
                for (type, votes) in cluster.votes { entry.typeVotes[type, default: 0] += votes }
                entry.type = entry.majorityType
                state.entries[id] = entry
                // The index depends only on the name and aliases, and indexing is idempotent: an
                // entry whose names did not change is already indexed (this was ~2% of the daemon's CPU).
                if before.new || entry.name != before.name || entry.aliases != before.aliases {
                    Self.indexEntry(entry, in: &state)
                }
                results.append((entry.name, entry.type, entry.documents))
            }
            let encoder = JSONEncoder()
            let changes = try touched.sorted().map { id in
                ProcessorStateChange.save(key: Self.key(id), value: Array(try encoder.encode(state.entries[id])))
            }
            try store.apply(namespace: Self.namespace, changes)
            return results
        }
    }

    private func loadIfNeeded(_ state: inout State) throws {
        guard !state.loaded else { return }
        for key in try store.keys(namespace: Self.namespace) {
            guard let bytes = try store.load(namespace: Self.namespace, key: key),
                  let entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes)),
                  entry.id == state.entries.count else { continue }
            state.entries.append(entry)
            Self.indexEntry(entry, in: &state)
        }
        state.loaded = true
    }

    private func find(_ cluster: (name: String, type: String, aliases: [String], votes: [String: Int]), in state: State) -> Int? {
        let keys = ([cluster.name] + cluster.aliases).map { NameKey(tokens: Self.words($0)) }.filter { !$0.isEmpty }
        var candidates: [Int] = []
        for key in keys {
            if let last = key.tokens.last { candidates += state.index[NameKey.skeleton(last)] ?? [] }
            if let acronym = key.acronym, let id = state.byAcronym[acronym] { candidates.append(id) }
            if key.tokens.count == 1, let id = state.byAcronym[key.tokens[0].replacingDots()] { candidates.append(id) }
        }
        var best: Int?
        for id in Set(candidates).sorted() {
            let entry = state.entries[id]
            let numeric = MentionMerger.numericTypes
            if numeric.contains(entry.type) != numeric.contains(cluster.type) { continue }
            if numeric.contains(entry.type) && entry.type != cluster.type { continue }
            let entryKeys = id < state.keys.count ? state.keys[id] : []
            let person = entry.type == "PER" && cluster.type == "PER"
            // The same name is the same entity, unless one is a person and the other is not
            // (Jordan the country, Jordan the player).
            let sameKind = (entry.type == "PER") == (cluster.type == "PER") || entry.typeVotes[cluster.type] != nil
            let matches = keys.contains { key in
                entryKeys.contains { other in
                    key.sameName(other) && (sameKind || key.tokens.count > 1)
                        || person && (key.isSuffix(of: other) || other.isSuffix(of: key))
                        || key.tokens.count == 1 && other.acronym == key.tokens[0].replacingDots()
                        || other.tokens.count == 1 && key.acronym == other.tokens[0].replacingDots()
                }
            }
            if matches && (best.map { state.entries[$0].documents < entry.documents } ?? true) { best = id }
        }
        return best
    }

    private func add(_ cluster: (name: String, type: String, aliases: [String], votes: [String: Int]), to state: inout State) -> Int {
        let id = state.entries.count
        state.entries.append(Entry(id: id, name: cluster.name, type: cluster.type, aliases: [], documents: 0, typeVotes: [:]))
        return id
    }

    private static func indexEntry(_ entry: Entry, in state: inout State) {
        let keys = ([entry.name] + entry.aliases).map { NameKey(tokens: words($0)) }
        while state.keys.count <= entry.id { state.keys.append([]) }
        state.keys[entry.id] = keys
        for key in keys {
            if let last = key.tokens.last {
                let skeleton = NameKey.skeleton(last)
                if !(state.index[skeleton]?.contains(entry.id) ?? false) && state.index[skeleton, default: []].count < 256 {
                    state.index[skeleton, default: []].append(entry.id)
                }
            }
            if let acronym = key.acronym, state.byAcronym[acronym] == nil { state.byAcronym[acronym] = entry.id }
        }
    }

    static func key(_ id: Int) -> String {
        let digits = String(id)
        return "entity/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func words(_ name: String) -> [String] {
        name.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" }).map(String.init)
    }
}
