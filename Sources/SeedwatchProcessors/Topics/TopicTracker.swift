import SeedwatchCore

/// The stateful topic tracker: one document at a time, in arrival order, state kept in the store.
///
/// An actor because the daemon shares one tracker between pipeline tasks; the pipeline already
/// calls a stateful processor serially, and the actor makes that a guarantee rather than a habit.
/// Every observation is logged before it returns (one small row, `TopicStateLog`), and the keys it
/// changed are written every `checkpoint_docs` documents, so a new tracker made from the same store
/// continues where this one stopped, after a crash too: no repeated alerts, no forgotten stories.
public actor TopicTracker {
    public static let namespace = "topics"
    /// Fixed at creation; readable without a turn (documents are prepared outside it).
    public nonisolated let configuration: TopicTrackerConfiguration
    private var engine: TopicEngine
    private let store: (any ProcessorStateStore)?
    private var pending = TopicPendingChanges()
    /// Count deltas written since the counts were last written whole.
    private var countDeltas: [Int] = []
    private var recent = RecentObservations()
    /// Kept to load the state again after a lost batch (~150 KB of terms).
    private let background: BackgroundModel

    /// The store's generation the state in memory was loaded on (`ProcessorStateStore.generation`).
    private var generation: UInt64 = 0

    /// Loads any state the store holds; `store` nil keeps everything in memory only.
    public init(
        configuration: TopicTrackerConfiguration = TopicTrackerConfiguration(), background: BackgroundModel,
        store: (any ProcessorStateStore)?
    ) throws {
        self.configuration = configuration
        self.store = store
        self.background = background
        self.engine = TopicEngine(configuration: configuration, background: background)
        if let store {
            generation = store.generation
            (engine, pending, countDeltas, recent) = try Self.loaded(configuration: configuration, background: background, from: store)
        }
    }

    private static func loaded(
        configuration: TopicTrackerConfiguration, background: BackgroundModel, from store: any ProcessorStateStore
    ) throws -> (TopicEngine, TopicPendingChanges, [Int], RecentObservations) {
        var engine = TopicEngine(configuration: configuration, background: background)
        var pending = TopicPendingChanges()
        var countDeltas: [Int] = []
        var recent = RecentObservations()
        do {
            try Self.load(into: &engine, pending: &pending, countDeltas: &countDeltas, recent: &recent, from: store)
        } catch let corrupt as CorruptState {
            throw TopicsError.corruptState(key: corrupt.key, reason: corrupt.reason)
        }
        return (engine, pending, countDeltas, recent)
    }

    /// Tracks one document and returns its result, alerts included, once its state is durable.
    /// With a store, a document observed before (processed again after a kill -9 between its turn
    /// and its ledger row) gets its first result back and changes nothing (`RecentObservations`).
    public func observe(_ observation: TopicObservation) async throws -> TopicsResult {
        let (result, commit) = try take(observation, prepared: nil)
        try await commit.wait()
        return result
    }

    /// The same with the terms `TopicVectorizer.prepare` made outside the arrival-order turn, and
    /// without waiting: the result may be used once `commit` is durable (group commit).
    func take(_ observation: TopicObservation, prepared: PreparedTopicDocument?) throws -> (TopicsResult, StateCommit) {
        guard let store else { return (engine.observe(observation, prepared: prepared).0, .done) }
        // A batch was lost since this state was loaded (its documents failed): start from the store's.
        if store.generation != generation { try reload(from: store) }
        // Queued behind the first observation's write: durable once that is.
        if let earlier = recent.result(for: observation.id) { return (earlier, store.enqueue(namespace: Self.namespace, [], generation: generation)) }
        let sequence = engine.sequence
        let slot = RecentObservations.slot(of: sequence)
        let (result, changes) = engine.observe(observation, prepared: prepared)
        pending.merge(changes)
        recent.insert(id: observation.id, result: result, slot: slot)
        // The document's log row and its result in one transaction: a replayed log always has the
        // results that let a reprocessed document be recognised.
        var writes: [ProcessorStateChange] = [
            .save(key: TopicStateLog.key(TopicStateLog.logPrefix, sequence), value: TopicStateLog.encode(observation)),
            .save(key: RecentObservations.key(slot), value: RecentObservations.encode(id: observation.id, result: result)),
        ]
        pending.logged.append(sequence)
        if pending.logged.count >= engine.configuration.checkpointDocs { writes += checkpointWrites() }
        return (result, store.enqueue(namespace: Self.namespace, writes, generation: generation))
    }

    /// The generation is taken as loaded only once the load succeeded: a load cut short (the
    /// database went away) leaves the old state, which the next document must not trust either.
    private func reload(from store: any ProcessorStateStore) throws {
        let reading = store.generation
        (engine, pending, countDeltas, recent) = try Self.loaded(
            configuration: configuration, background: background, from: store
        )
        generation = reading
    }

    /// Documents seen over the tracker's life (across restarts).
    public var documentCount: Int { engine.sequence }

    /// Stories currently remembered.
    public var storyCount: Int { engine.stories.stories.count }

    /// Writes every key changed since the last checkpoint, and the online term counts that changed,
    /// and deletes the documents logged since: one transaction (also done every `checkpoint_docs`
    /// documents, with that document's own writes, and at a clean stop).
    public func checkpoint() async throws {
        guard let store else { return }
        if store.generation != generation { try reload(from: store) }
        try await store.enqueue(namespace: Self.namespace, checkpointWrites(), generation: generation).wait()
    }

    /// The writes of a checkpoint; what they write is no longer pending.
    private func checkpointWrites() -> [ProcessorStateChange] {
        var writes: [ProcessorStateChange] = []
        // Ids in ascending order, so the store sees the same writes in the same order on every run.
        for id in pending.stories.sorted() {
            if let story = engine.stories.stories[id] {
                writes.append(.save(key: "story/\(id)", value: engine.encodeStory(story)))
            } else {
                writes.append(.remove(key: "story/\(id)"))
            }
        }
        for id in pending.themes.sorted() {
            if let theme = engine.themes[id] {
                writes.append(.save(key: "theme/\(id)", value: engine.encodeTheme(theme)))
            } else {
                writes.append(.remove(key: "theme/\(id)"))
                if engine.configuration.themeSplitSimilarity > 0 { writes.append(.remove(key: "runs/\(id)")) }
            }
        }
        for id in pending.runs.sorted() {
            if let theme = engine.themes[id] { writes.append(.save(key: "runs/\(id)", value: engine.encodeRuns(theme))) }
        }
        if pending.splitSnapshot {
            if let snapshot = engine.splitSnapshot {
                writes.append(.save(key: "split", value: engine.encodeSplitSnapshot(snapshot)))
            } else {
                writes.append(.remove(key: "split"))
            }
        }
        for slot in pending.duplicateSlots.sorted() {
            if let entry = engine.duplicates.slots[slot] {
                writes.append(.save(key: "dup/\(slot)", value: TopicEngine.encodeDuplicate(entry)))
            }
        }
        writes.append(.save(key: "meta", value: engine.encodeMeta()))
        writes += countWrites()
        var w = StateWriter()
        w.int(Int(engine.statistics.onlineDocuments))
        writes.append(.save(key: "df/documents", value: w.bytes))
        for sequence in pending.logged { writes.append(.remove(key: TopicStateLog.key(TopicStateLog.logPrefix, sequence))) }
        pending = TopicPendingChanges()
        return writes
    }

    /// The counts changed since the last checkpoint as one delta row; every `maxCountDeltas`
    /// checkpoints the shards they fell in are written whole instead and the deltas deleted, so a
    /// restart reads a bounded number of rows. Clears what it wrote from the dirty sets.
    private func countWrites() -> [ProcessorStateChange] {
        var writes: [ProcessorStateChange] = []
        let statistics = engine.statistics
        if countDeltas.count < TopicStateLog.maxCountDeltas {
            guard !statistics.dirtyTerms.isEmpty else { return [] }
            let key = TopicStateLog.key(TopicStateLog.countsDeltaPrefix, engine.sequence)
            writes.append(.save(key: key, value: TopicEngine.encodeCounts(statistics.onlineCounts(terms: statistics.dirtyTerms))))
            countDeltas.append(engine.sequence)
            engine.statistics.clearDirtyTerms()
            return writes
        }
        // Shards in a fixed order, so the store sees the same writes in the same order on every run.
        for (shard, counts) in statistics.onlineCounts(shards: statistics.dirtyShards).sorted(by: { $0.key < $1.key }) {
            writes.append(.save(key: "df/\(shard)", value: TopicEngine.encodeCounts(counts)))
        }
        for sequence in countDeltas { writes.append(.remove(key: TopicStateLog.key(TopicStateLog.countsDeltaPrefix, sequence))) }
        countDeltas = []
        engine.statistics.clearDirty()
        return writes
    }

    private static func load(
        into engine: inout TopicEngine, pending: inout TopicPendingChanges, countDeltas: inout [Int], recent: inout RecentObservations,
        from store: any ProcessorStateStore
    ) throws {
        let ns = namespace
        for key in try store.keys(namespace: ns) where key.hasPrefix(RecentObservations.keyPrefix) {
            if let bytes = try store.load(namespace: ns, key: key) { try recent.restore(key: key, bytes: bytes) }
        }
        guard let meta = try store.load(namespace: ns, key: "meta") else {
            // No checkpoint yet: only the log.
            try replay(store.keys(namespace: ns).compactMap { key in
                TopicStateLog.sequence(of: key, prefix: TopicStateLog.logPrefix).map { ($0, key) }
            }, into: &engine, pending: &pending, from: store)
            return
        }
        var counts: [TermStatistics.StoredCount] = []
        var deltas: [TermStatistics.StoredCount] = []
        var stories: [Story] = []
        var themes: [Theme] = []
        var runs: [Int: (runs: [ThemeRun], gram: [Float])] = [:]
        var snapshot: SplitSnapshot?
        var duplicates: [NearDuplicateIndex.Entry] = []
        var onlineDocuments = 0
        var others: [(key: String, bytes: [UInt8])] = []
        var logged: [(sequence: Int, key: String)] = []
        for key in try store.keys(namespace: ns) {
            if let sequence = TopicStateLog.sequence(of: key, prefix: TopicStateLog.logPrefix) {
                logged.append((sequence, key))
                continue
            }
            if key.hasPrefix(RecentObservations.keyPrefix) { continue }
            guard let bytes = try store.load(namespace: ns, key: key) else { continue }
            if key == "df/documents" {
                var r = StateReader(bytes, key: key)
                onlineDocuments = try r.int()
            } else if let sequence = TopicStateLog.sequence(of: key, prefix: TopicStateLog.countsDeltaPrefix) {
                // Keys in ascending order: a later delta's count replaces an earlier one's.
                deltas += try TopicEngine.decodeCounts(bytes, key: key)
                countDeltas.append(sequence)
            } else if key.hasPrefix("df/") {
                counts += try TopicEngine.decodeCounts(bytes, key: key)
            } else {
                others.append((key, bytes))
            }
        }
        // The vocabulary first, so every term gets back the id it had; decoding a story or theme
        // before would intern its terms in key order instead.
        engine.statistics.restore(onlineDocuments: Double(onlineDocuments), counts: Self.merge(counts, deltas))
        for (key, bytes) in others {
            if key.hasPrefix("story/") {
                stories.append(try engine.decodeStory(bytes, key: key))
            } else if key.hasPrefix("theme/") {
                themes.append(try engine.decodeTheme(bytes, key: key))
            } else if key == "split" {
                snapshot = try engine.decodeSplitSnapshot(bytes, key: key)
            } else if key.hasPrefix("runs/") {
                guard let id = Int(key.dropFirst("runs/".count)) else {
                    throw TopicsError.corruptState(key: key, reason: "bad theme id")
                }
                runs[id] = try engine.decodeRuns(bytes, key: key)
            } else if key.hasPrefix("dup/") {
                duplicates.append(try TopicEngine.decodeDuplicate(bytes, key: key))
            }
        }
        try engine.restoreMeta(meta)
        for story in stories.sorted(by: { ($0.lastSeen, $0.id) < ($1.lastSeen, $1.id) }) { engine.stories.update(story) }
        for id in engine.stories.takeEvicted() { try store.remove(namespace: ns, key: "story/\(id)") }
        for var theme in themes {
            if let kept = runs[theme.id] {
                theme.runs = kept.runs
                theme.runGram = kept.gram
            }
            engine.themes[theme.id] = theme
        }
        engine.splitSnapshot = snapshot
        for entry in duplicates.sorted(by: { $0.sequence < $1.sequence }) { engine.duplicates.insert(entry) }
        try replay(logged, into: &engine, pending: &pending, from: store)
    }

    /// The documents observed since the checkpoint, again, in their order: the same state as
    /// before the stop. A row from before the checkpoint (none is left by a complete one) is
    /// deleted with the next checkpoint, not observed twice.
    private static func replay(
        _ logged: [(sequence: Int, key: String)], into engine: inout TopicEngine, pending: inout TopicPendingChanges,
        from store: any ProcessorStateStore
    ) throws {
        for (sequence, key) in logged.sorted(by: { $0.sequence < $1.sequence }) {
            pending.logged.append(sequence)
            guard sequence >= engine.sequence, let bytes = try store.load(namespace: namespace, key: key) else { continue }
            guard sequence == engine.sequence else { throw CorruptState(key: key, reason: "documents \(engine.sequence)–\(sequence - 1) are missing from the log") }
            let (_, changes) = engine.observe(try TopicStateLog.decodeObservation(bytes, key: key))
            pending.merge(changes)
        }
    }

    /// Stored counts with each term once: a delta's count replaces the shard's, a later delta's an
    /// earlier one's (the order of `counts` then `deltas`, as read).
    private static func merge(_ counts: [TermStatistics.StoredCount], _ deltas: [TermStatistics.StoredCount]) -> [TermStatistics.StoredCount] {
        guard !deltas.isEmpty else { return counts }
        var merged = counts
        var index: [String: Int] = [:]
        for (offset, stored) in merged.enumerated() { index[stored.term] = offset }
        for stored in deltas {
            if let offset = index[stored.term] {
                merged[offset] = stored
            } else {
                index[stored.term] = merged.count
                merged.append(stored)
            }
        }
        return merged
    }
}
