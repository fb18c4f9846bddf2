import FoundationEssentials
import SeedwatchCore

/// The entities seen across documents, so the same entity keeps the same canonical name in
/// every result. Kept in the processor's state store (the state database under the daemon).
///
/// Only the recently used part is in memory, so a long-running daemon does not grow with every
/// name it has ever seen: the entries and the two look-ups that find candidates for a name
/// (consonant skeleton of its last word → entry ids, acronym → entry id) are stored under keys of
/// their own and read on a miss. The stored look-ups are kept exactly as the registry used to keep
/// them in memory, so a name resolves to the same entity whatever the bound.
///
/// Each document writes one row, its clusters (`log/<n>`); the entries and look-ups it changed wait
/// in memory (`pending`, read before the store) and are written every `checkpointDocs` documents,
/// with the rows logged since deleted, in one transaction. A restart reads the last checkpoint and
/// resolves the logged clusters again: the same state, after a crash too. The rows are queued for
/// the store's group commit (`ProcessorStateStore.enqueue`) and waited for after the turn; a document
/// resolved again (after a kill between its write and its ledger row) gets the names and counts of
/// the first time and changes nothing (`RecentResolutions`).
///
/// Documents are processed concurrently, so all reads and writes go through one lock; the
/// store calls are synchronous and short, and holding the lock across them keeps the cache
/// and the stored state in step.
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

    /// An entry with the keys of its name and aliases (name first), kept so matching does not
    /// fold the same strings again for every document. A class: a name's candidates are read
    /// hundreds of times a document, and a copy of the entry's fields was a retain each.
    final class Resident: Sendable {
        let entry: Entry
        let keys: [RegistryKey]
        let isPerson: Bool
        let isNumeric: Bool

        convenience init(_ entry: Entry) {
            self.init(entry, keys: ([entry.name] + entry.aliases).map(RegistryKey.init(written:)))
        }

        /// `keys` must be those of `entry.name` then `entry.aliases`.
        init(_ entry: Entry, keys: [RegistryKey]) {
            self.entry = entry
            self.keys = keys
            isPerson = entry.type == "PER"
            isNumeric = MentionMerger.numericTypes.contains(entry.type)
        }
    }

    typealias Cluster = (name: String, type: String, aliases: [String], votes: [String: Int])

    private struct State {
        var opened = false
        var nextID = 0
        var entries: RecentCache<Int, Resident>
        var postings: RecentCache<String, [Int]>
        /// `nil` values are acronyms known to be unused, the common case.
        var acronyms: RecentCache<String, Int?>
        /// Changes not yet written, by key: read before the store.
        var pending: [String: ProcessorStateChange] = [:]
        /// Numbers of the documents logged since the last checkpoint, and the next one.
        var logged: [Int] = []
        var nextLog = 0
        var recent = RecentResolutions()
        /// The store's generation this state was read on (`ProcessorStateStore.generation`).
        var generation: UInt64 = 0
    }

    /// What one call has read and changed: whatever the cache's bound, all a document needs stays
    /// here until the document is done.
    private struct Work {
        var nextID: Int
        var entries: [Int: Resident] = [:]
        var postings: [String: [Int]] = [:]
        var acronyms: [String: Int?] = [:]
        var touched = Set<Int>()
        var changedPostings = Set<String>()
        var changedAcronyms = Set<String>()
    }

    static let namespace = "entities"
    static let maxAliases = 24
    static let maxPosting = 256
    /// Default of `processors.entities.registry_cache`: ~3.5 MiB at ~0.85 KB an entity, against
    /// 13,800 entities after the 2,225 BBC articles (docs/BENCHMARKS.md, third pass).
    static let defaultCacheSize = 4_096
    private static let postingPrefix = "skeleton/"
    private static let acronymPrefix = "acronym/"
    private static let counterKey = "registry/next"
    static let logPrefix = "log/"
    /// Documents between checkpoints.
    static let defaultCheckpointDocs = 100

    private let store: any ProcessorStateStore
    private let state: Locked<State>
    private let checkpointDocs: Int
    private let cacheSize: Int

    /// `cacheSize`: entities (and as many postings and acronyms) kept in memory.
    init(store: any ProcessorStateStore, cacheSize: Int = EntityRegistry.defaultCacheSize, checkpointDocs: Int = EntityRegistry.defaultCheckpointDocs) {
        self.store = store
        self.checkpointDocs = max(1, checkpointDocs)
        self.cacheSize = cacheSize
        state = Locked(Self.emptyState(cacheSize: cacheSize))
    }

    private static func emptyState(cacheSize: Int) -> State {
        State(entries: RecentCache(capacity: cacheSize), postings: RecentCache(capacity: cacheSize), acronyms: RecentCache(capacity: cacheSize))
    }

    /// `resolve` with the clusters' keys made here (tests; the processor makes them in its parallel stage).
    func resolve(documentID: String?, _ clusters: [Cluster]) throws -> ([(name: String, type: String, documents: Int)], StateCommit) {
        try resolve(documentID: documentID, clusters.map(RegistryCluster.init))
    }

    /// The canonical name and document count for each cluster of one document, registering new
    /// entities and recording new aliases; and the write to wait for before they are used (queued
    /// for the store's next group commit). `documentID` nil: not remembered for a second visit.
    func resolve(documentID: String?, _ clusters: [RegistryCluster]) throws -> ([(name: String, type: String, documents: Int)], StateCommit) {
        try state.withLock { state in
            // A batch was lost since this state was read (its documents failed): read it again.
            if state.opened, state.generation != store.generation { state = Self.emptyState(cacheSize: cacheSize) }
            do {
                try open(&state)
            } catch {
                // Read in part (the database went away): read again from the start next time.
                state = Self.emptyState(cacheSize: cacheSize)
                throw error
            }
            if let documentID, let earlier = try earlier(documentID, state) {
                // Queued behind the first visit's write: durable once that is.
                return (earlier, store.enqueue(namespace: Self.namespace, [], generation: state.generation))
            }
            let (results, work) = try resolve(clusters, &state)
            var changes: [ProcessorStateChange] = [.save(key: Self.logKey(state.nextLog), value: Self.encodeClusters(clusters.map(\.cluster)))]
            if let documentID {
                let (slot, number) = state.recent.insert(id: documentID)
                changes.append(.save(key: RecentResolutions.key(slot), value: RecentResolutions.encode(number: number, id: documentID, resolved: results)))
            }
            commit(work, &state)
            state.logged.append(state.nextLog)
            state.nextLog += 1
            if state.logged.count >= checkpointDocs { changes += checkpointChanges(&state) }
            return (results, store.enqueue(namespace: Self.namespace, changes, generation: state.generation))
        }
    }

    /// The names given to `documentID` the first time, when it is one of the recent documents.
    private func earlier(_ documentID: String, _ state: State) throws -> [(name: String, type: String, documents: Int)]? {
        guard let slot = state.recent.slot(of: documentID),
              let bytes = try store.load(namespace: Self.namespace, key: RecentResolutions.key(slot)) else { return nil }
        let key = RecentResolutions.key(slot)
        let (_, id, resolved) = try RecentResolutions.decode(bytes, key: key)
        return id == documentID ? resolved : nil
    }

    /// Writes the changes waiting in memory and deletes the documents logged since the last
    /// checkpoint, in one transaction (every `checkpointDocs` documents, and at a clean stop).
    func checkpoint() async throws {
        let commit: StateCommit? = state.withLock { state in
            guard state.opened, state.generation == store.generation else { return nil }
            return store.enqueue(namespace: Self.namespace, checkpointChanges(&state), generation: state.generation)
        }
        try await commit?.wait()
    }

    /// The writes of a checkpoint; what they write is no longer pending in memory (reads find it
    /// queued in the store).
    private func checkpointChanges(_ state: inout State) -> [ProcessorStateChange] {
        var changes = state.pending.sorted { $0.key < $1.key }.map(\.value)
        changes += state.logged.map { .remove(key: Self.logKey($0)) }
        state.pending = [:]
        state.logged = []
        return changes
    }

    private func resolve(_ clusters: [RegistryCluster], _ state: inout State) throws -> ([(name: String, type: String, documents: Int)], Work) {
        var work = Work(nextID: state.nextID)
        try prefetch(clusters, &state, &work)
        var results: [(name: String, type: String, documents: Int)] = []
        for prepared in clusters {
            let cluster = prepared.cluster
            let found = try find(prepared, &state, &work)
            let id = found ?? work.nextID
            // Its keys are indexed already (a new entry has none yet).
            let previous = found.flatMap { work.entries[$0] }
            var entry = previous?.entry
                ?? Entry(id: id, name: cluster.name, type: cluster.type, aliases: [], documents: 0, typeVotes: [:])
            if found == nil { work.nextID += 1 }
            if !work.touched.contains(id) { entry.documents += 1 }
            work.touched.insert(id)
            // A fuller name replaces a bare surname seen first ("Sharaa" → "Ahmed al-Sharaa").
            // `keys[0]` of an entry is its name's (a new entry's name is the cluster's).
            let current = previous?.keys.first?.name.tokens.count ?? prepared.nameKey.name.tokens.count
            let renamed = prepared.nameKey.name.tokens.count > current && current == 1
            if renamed { entry.name = cluster.name }
            var keys = [renamed ? prepared.nameKey : previous?.keys.first ?? prepared.nameKey]
            keys += previous?.keys.dropFirst() ?? []
            let known = keys.count
            for (alias, key) in zip(cluster.aliases + [cluster.name], prepared.formKeys)
            where !entry.aliases.contains(alias) && entry.aliases.count < Self.maxAliases {
                entry.aliases.append(alias)
                keys.append(key)
            }
            for (type, votes) in cluster.votes { entry.typeVotes[type, default: 0] += votes }
            entry.type = entry.majorityType
            let resident = Resident(entry, keys: keys)
            work.entries[id] = resident
            // Indexing a key again changes nothing (its id is listed, or the list was full,
            // and lists only grow), so only the new ones are indexed.
            if let previous {
                if renamed || keys.count > known {
                    let old = Set(previous.keys.map(\.name))
                    try index(keys.filter { !old.contains($0.name) }, of: id, &state, &work)
                }
            } else {
                try index(keys, of: id, &state, &work)
            }
            results.append((entry.name, entry.type, entry.documents))
        }
        return (results, work)
    }

    // MARK: Matching

    /// The entry a cluster names: of the candidates listed under its names' last skeletons and
    /// acronyms, the one with the most documents that one of its names matches (the lowest id of
    /// those with as many).
    private func find(_ cluster: RegistryCluster, _ state: inout State, _ work: inout Work) throws -> Int? {
        var candidates: [Int] = []
        for key in cluster.keys {
            if let skeleton = key.postingSkeleton { candidates += try posting(skeleton, &state, &work) }
            if let acronym = key.name.acronym, let id = try acronymEntry(acronym, &state, &work) { candidates.append(id) }
            if let bare = key.name.bareWord, let id = try acronymEntry(bare, &state, &work) { candidates.append(id) }
        }
        let type = cluster.cluster.type
        var best: (id: Int, documents: Int)?
        for id in Set(candidates).sorted() {
            guard let resident = try resident(id, &state, &work) else { continue }
            let entry = resident.entry
            // One with no more documents than the best so far cannot replace it: not compared.
            if let best, best.documents >= entry.documents { continue }
            if resident.isNumeric != cluster.isNumeric { continue }
            if resident.isNumeric && entry.type != type { continue }
            let bothPeople = resident.isPerson && cluster.isPerson
            // The same name is the same entity, unless one is a person and the other is not
            // (Jordan the country, Jordan the player).
            let sameKind = resident.isPerson == cluster.isPerson || entry.typeVotes[type] != nil
            let entryKeys = resident.keys
            let matches = cluster.keys.contains { key in
                entryKeys.contains { key.names($0, bothPeople: bothPeople, sameKind: sameKind) }
            }
            if matches { best = (id, entry.documents) }
        }
        return best?.id
    }

    /// Lists the entry under the skeleton of each key's last word (at most `maxPosting` entries a
    /// list) and under each key's acronym (the first entry keeps it).
    private func index(_ keys: [RegistryKey], of id: Int, _ state: inout State, _ work: inout Work) throws {
        for key in keys {
            if let skeleton = key.postingSkeleton {
                var ids = try posting(skeleton, &state, &work)
                if !ids.contains(id) && ids.count < Self.maxPosting {
                    ids.append(id)
                    work.postings[skeleton] = ids
                    work.changedPostings.insert(skeleton)
                }
            }
            if let acronym = key.name.acronym, try acronymEntry(acronym, &state, &work) == nil {
                work.acronyms.updateValue(id, forKey: acronym)
                work.changedAcronyms.insert(acronym)
            }
        }
    }

    // MARK: Reading through the cache

    private func resident(_ id: Int, _ state: inout State, _ work: inout Work) throws -> Resident? {
        if let resident = work.entries[id] { return resident }
        if let resident = state.entries.get(id) {
            work.entries[id] = resident
            return resident
        }
        guard let bytes = try stored(Self.key(id), state),
              let entry = Self.decodeEntry(bytes, id: id) else { return nil }
        work.entries[id] = Resident(entry)
        return work.entries[id]
    }

    private func posting(_ skeleton: String, _ state: inout State, _ work: inout Work) throws -> [Int] {
        if let ids = work.postings[skeleton] { return ids }
        let ids = try state.postings.get(skeleton)
            ?? stored(Self.postingPrefix + skeleton, state).map(Self.decodeIDs) ?? []
        work.postings[skeleton] = ids
        return ids
    }

    private func acronymEntry(_ acronym: String, _ state: inout State, _ work: inout Work) throws -> Int? {
        if let index = work.acronyms.index(forKey: acronym) { return work.acronyms.values[index] }
        let id = try state.acronyms.get(acronym)
            ?? stored(Self.acronymPrefix + acronym, state).flatMap { Self.decodeIDs($0).first }
        work.acronyms.updateValue(id, forKey: acronym)
        return id
    }

    /// Reads what the document's names will look up, from the cache or else in two queries (the
    /// look-ups, then the entries they list), instead of one query per name and entry.
    private func prefetch(_ clusters: [RegistryCluster], _ state: inout State, _ work: inout Work) throws {
        var skeletons = Set<String>(), acronyms = Set<String>()
        for key in clusters.lazy.flatMap(\.keys) {
            if let skeleton = key.postingSkeleton { skeletons.insert(skeleton) }
            if let acronym = key.name.acronym { acronyms.insert(acronym) }
            if let bare = key.name.bareWord { acronyms.insert(bare) }
        }
        var missing: [String] = []
        for skeleton in skeletons {
            if let ids = state.postings.get(skeleton) { work.postings[skeleton] = ids } else { missing.append(Self.postingPrefix + skeleton) }
        }
        for acronym in acronyms {
            if let id = state.acronyms.get(acronym) { work.acronyms.updateValue(id, forKey: acronym) } else { missing.append(Self.acronymPrefix + acronym) }
        }
        let found = try stored(missing, state)
        for skeleton in skeletons where work.postings[skeleton] == nil {
            work.postings[skeleton] = found[Self.postingPrefix + skeleton].map(Self.decodeIDs) ?? []
        }
        for acronym in acronyms where work.acronyms.index(forKey: acronym) == nil {
            work.acronyms.updateValue(found[Self.acronymPrefix + acronym].flatMap { Self.decodeIDs($0).first }, forKey: acronym)
        }

        var ids = Set<Int>()
        for skeleton in skeletons { ids.formUnion(work.postings[skeleton] ?? []) }
        for acronym in acronyms { if let id = work.acronyms[acronym] ?? nil { ids.insert(id) } }
        var absent: [Int] = []
        for id in ids where work.entries[id] == nil {
            if let resident = state.entries.get(id) { work.entries[id] = resident } else { absent.append(id) }
        }
        let entries = try stored(absent.map(Self.key), state)
        for id in absent {
            if let bytes = entries[Self.key(id)], let entry = Self.decodeEntry(bytes, id: id) { work.entries[id] = Resident(entry) }
        }
    }

    /// A key's value: the change waiting in memory, else the store's.
    private func stored(_ key: String, _ state: State) throws -> [UInt8]? {
        guard let change = state.pending[key] else { return try store.load(namespace: Self.namespace, key: key) }
        if case let .save(_, value) = change { return value }
        return nil
    }

    private func stored(_ keys: [String], _ state: State) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        var missing: [String] = []
        for key in keys {
            if let change = state.pending[key] {
                if case let .save(_, value) = change { found[key] = value }
            } else {
                missing.append(key)
            }
        }
        for (key, value) in try store.load(namespace: Self.namespace, keys: missing) { found[key] = value }
        return found
    }

    // MARK: Storing

    /// Keeps the document's changes for the next checkpoint, and what it read and wrote in the cache.
    private func commit(_ work: Work, _ state: inout State) {
        var changes: [ProcessorStateChange] = []
        for id in work.touched.sorted() {
            guard let entry = work.entries[id]?.entry else { continue }
            changes.append(.save(key: Self.key(id), value: Self.encodeEntry(entry)))
        }
        for skeleton in work.changedPostings.sorted() {
            changes.append(.save(key: Self.postingPrefix + skeleton, value: Self.encodeIDs(work.postings[skeleton] ?? [])))
        }
        for acronym in work.changedAcronyms.sorted() {
            if let id = work.acronyms[acronym] ?? nil { changes.append(.save(key: Self.acronymPrefix + acronym, value: Self.encodeIDs([id]))) }
        }
        if work.nextID != state.nextID { changes.append(.save(key: Self.counterKey, value: Self.encodeIDs([work.nextID]))) }
        for change in changes {
            switch change {
            case let .save(key, _), let .remove(key): state.pending[key] = change
            }
        }
        state.nextID = work.nextID
        // What came from the cache was marked as used when it was read; only changes and what
        // was read from the store go in.
        for (id, resident) in work.entries where work.touched.contains(id) || !state.entries.contains(id) {
            state.entries.set(id, resident)
        }
        for (skeleton, ids) in work.postings where work.changedPostings.contains(skeleton) || !state.postings.contains(skeleton) {
            state.postings.set(skeleton, ids)
        }
        for (acronym, id) in work.acronyms where work.changedAcronyms.contains(acronym) || !state.acronyms.contains(acronym) {
            state.acronyms.set(acronym, id)
        }
    }

    /// Reads the entry counter; a store without one, or with entries past it (written by a version
    /// that kept the look-ups in memory), gets its look-ups rebuilt first.
    private func open(_ state: inout State) throws {
        guard !state.opened else { return }
        if let bytes = try store.load(namespace: Self.namespace, key: Self.counterKey), let next = Self.decodeIDs(bytes).first,
           try store.load(namespace: Self.namespace, key: Self.key(next)) == nil {
            state.nextID = next
        } else {
            state.nextID = try rebuildIndex()
        }
        state.opened = true
        state.generation = store.generation
        for key in try store.keys(namespace: Self.namespace) where key.hasPrefix(RecentResolutions.keyPrefix) {
            if let bytes = try store.load(namespace: Self.namespace, key: key) { try state.recent.restore(key: key, bytes: bytes) }
        }
        try replayLog(&state)
    }

    /// Resolves the clusters logged since the last checkpoint again, in their order.
    private func replayLog(_ state: inout State) throws {
        let logged = try store.keys(namespace: Self.namespace).compactMap { key -> (Int, String)? in
            guard key.hasPrefix(Self.logPrefix), let number = Int(key.dropFirst(Self.logPrefix.count)) else { return nil }
            return (number, key)
        }.sorted { $0.0 < $1.0 }
        for (number, key) in logged {
            state.logged.append(number)
            state.nextLog = number + 1
            guard let bytes = try store.load(namespace: Self.namespace, key: key) else { continue }
            let (_, work) = try resolve(try Self.decodeClusters(bytes, key: key).map(RegistryCluster.init), &state)
            commit(work, &state)
        }
    }

    /// Indexes the stored entries in id order, as the registry did in memory when it started;
    /// only the look-ups are held meanwhile, not the entries. Returns the next entry id.
    private func rebuildIndex() throws -> Int {
        let keys = try store.keys(namespace: Self.namespace)
        var work = Work(nextID: 0)
        var scratch = State(entries: RecentCache(capacity: 1), postings: RecentCache(capacity: 1), acronyms: RecentCache(capacity: 1))
        // The old loader's rule: entries are read in key order and must be numbered 0, 1, 2, …
        for key in keys where key.hasPrefix("entity/") {
            guard let bytes = try store.load(namespace: Self.namespace, key: key),
                  let entry = Self.decodeEntry(bytes, id: work.nextID) else { continue }
            let keys = Resident(entry).keys
            // Unread look-ups are empty (stale stored ones are replaced below).
            for key in keys {
                if let skeleton = key.postingSkeleton, work.postings[skeleton] == nil { work.postings[skeleton] = [] }
                if let acronym = key.name.acronym, work.acronyms.index(forKey: acronym) == nil {
                    work.acronyms.updateValue(nil, forKey: acronym)
                }
            }
            try index(keys, of: entry.id, &scratch, &work)
            work.nextID += 1
        }
        let saved = Set(work.changedPostings.map { Self.postingPrefix + $0 } + work.changedAcronyms.map { Self.acronymPrefix + $0 })
        var changes: [ProcessorStateChange] = keys
            .filter { ($0.hasPrefix(Self.postingPrefix) || $0.hasPrefix(Self.acronymPrefix)) && !saved.contains($0) }
            .map { .remove(key: $0) }
        for skeleton in work.changedPostings.sorted() {
            changes.append(.save(key: Self.postingPrefix + skeleton, value: Self.encodeIDs(work.postings[skeleton] ?? [])))
        }
        for acronym in work.changedAcronyms.sorted() {
            if let id = work.acronyms[acronym] ?? nil { changes.append(.save(key: Self.acronymPrefix + acronym, value: Self.encodeIDs([id]))) }
        }
        changes.append(.save(key: Self.counterKey, value: Self.encodeIDs([work.nextID])))
        try store.apply(namespace: Self.namespace, changes)
        return work.nextID
    }

    static func logKey(_ number: Int) -> String {
        let digits = String(number)
        return logPrefix + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// One document's clusters as logged: name, type, aliases, votes in type order.
    static func encodeClusters(_ clusters: [Cluster]) -> [UInt8] {
        var w = StateWriter()
        w.int(clusters.count)
        for cluster in clusters {
            w.string(cluster.name)
            w.string(cluster.type)
            w.int(cluster.aliases.count)
            for alias in cluster.aliases { w.string(alias) }
            w.int(cluster.votes.count)
            for (type, votes) in cluster.votes.sorted(by: { $0.key < $1.key }) {
                w.string(type)
                w.int(votes)
            }
        }
        return w.bytes
    }

    static func decodeClusters(_ bytes: [UInt8], key: String) throws -> [Cluster] {
        var r = StateReader(bytes, key: key)
        var clusters: [Cluster] = []
        for _ in 0..<(try r.count(elementSize: 8)) {
            let name = try r.string()
            let type = try r.string()
            var aliases: [String] = []
            for _ in 0..<(try r.count(elementSize: 8)) { aliases.append(try r.string()) }
            var votes: [String: Int] = [:]
            for _ in 0..<(try r.count(elementSize: 16)) { votes[try r.string()] = try r.int() }
            clusters.append((name, type, aliases, votes))
        }
        guard r.isAtEnd else { throw CorruptState(key: key, reason: "trailing bytes") }
        return clusters
    }

    static func key(_ id: Int) -> String {
        let digits = String(id)
        return "entity/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func words(_ name: String) -> [String] {
        name.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" }).map(String.init)
    }

    /// The first word of an entry in the binary form; entries written as JSON by earlier
    /// versions begin with `{` and are still read.
    private static let entryFormat = 1

    /// An entry in `StateWriter`'s binary form: JSON cost a tenth of the arrival-order turn.
    /// Type votes are written in key order, so the same entry is always the same bytes.
    static func encodeEntry(_ entry: Entry) -> [UInt8] {
        var w = StateWriter()
        w.int(entryFormat)
        w.int(entry.id)
        w.string(entry.name)
        w.string(entry.type)
        w.int(entry.documents)
        w.int(entry.aliases.count)
        for alias in entry.aliases { w.string(alias) }
        w.int(entry.typeVotes.count)
        for (type, votes) in entry.typeVotes.sorted(by: { $0.key < $1.key }) {
            w.string(type)
            w.int(votes)
        }
        return w.bytes
    }

    /// The entry stored under `id`'s key, or nil when the bytes are damaged or name another id.
    static func decodeEntry(_ bytes: [UInt8], id: Int) -> Entry? {
        let entry: Entry?
        if bytes.first == UInt8(ascii: "{") {
            entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes))
        } else {
            entry = try? readEntry(bytes)
        }
        guard let entry, entry.id == id else { return nil }
        return entry
    }

    private static func readEntry(_ bytes: [UInt8]) throws -> Entry? {
        var r = StateReader(bytes, key: "entity")
        guard try r.int() == entryFormat else { return nil }
        let id = try r.int()
        let name = try r.string()
        let type = try r.string()
        let documents = try r.int()
        var aliases: [String] = []
        for _ in 0..<(try r.count(elementSize: 8)) { aliases.append(try r.string()) }
        var votes: [String: Int] = [:]
        for _ in 0..<(try r.count(elementSize: 16)) { votes[try r.string()] = try r.int() }
        guard r.isAtEnd else { return nil }
        return Entry(id: id, name: name, type: type, aliases: aliases, documents: documents, typeVotes: votes)
    }

    /// Ids as decimal text separated by commas: small, and readable in the database.
    private static func encodeIDs(_ ids: [Int]) -> [UInt8] {
        Array(ids.map(String.init).joined(separator: ",").utf8)
    }

    private static func decodeIDs(_ bytes: [UInt8]) -> [Int] {
        bytes.split(separator: UInt8(ascii: ",")).compactMap { Int(String(decoding: $0, as: UTF8.self)) }
    }
}
