import SeedwatchCore

/// The stateful topic tracker: one document at a time, in arrival order, state kept in the store.
///
/// An actor because the daemon shares one tracker between pipeline tasks; the pipeline already
/// calls a stateful processor serially, and the actor makes that a guarantee rather than a habit.
/// Every observation writes what it changed before returning, so a new tracker made from the same
/// store continues where this one stopped: no repeated alerts, no forgotten stories. Only the online
/// term statistics are written every `checkpoint_docs` documents (they are counts, and losing a few
/// after a crash changes weights by a hair).
public actor TopicTracker {
    public static let namespace = "topics"
    private var engine: TopicEngine
    private let store: (any ProcessorStateStore)?
    private var sinceCheckpoint = 0
    private var recent = RecentObservations()

    /// Loads any state the store holds; `store` nil keeps everything in memory only.
    public init(
        configuration: TopicTrackerConfiguration = TopicTrackerConfiguration(), background: BackgroundModel,
        store: (any ProcessorStateStore)?
    ) throws {
        var engine = TopicEngine(configuration: configuration, background: background)
        var recent = RecentObservations()
        do {
            if let store { try Self.load(into: &engine, recent: &recent, from: store) }
        } catch let corrupt as CorruptState {
            throw TopicsError.corruptState(key: corrupt.key, reason: corrupt.reason)
        }
        self.engine = engine
        self.recent = recent
        self.store = store
    }

    /// Tracks one document and returns its result, alerts included.
    /// With a store, a document observed before (processed again after a kill -9) gets its first
    /// result back and changes nothing (`RecentObservations`).
    public func observe(_ observation: TopicObservation) throws -> TopicsResult {
        guard store != nil else { return engine.observe(observation).0 }
        if let earlier = recent.result(for: observation.id) { return earlier }
        let slot = RecentObservations.slot(of: engine.sequence)
        let (result, changes) = engine.observe(observation)
        recent.insert(id: observation.id, result: result, slot: slot)
        try persist(changes, recent: (slot, RecentObservations.encode(id: observation.id, result: result)))
        return result
    }

    /// Documents seen over the tracker's life (across restarts).
    public var documentCount: Int { engine.sequence }

    /// Stories currently remembered.
    public var storyCount: Int { engine.stories.stories.count }

    /// Writes the online term statistics now (also done every `checkpoint_docs` documents).
    public func checkpoint() throws {
        guard let store else { return }
        var writes: [ProcessorStateChange] = []
        // Shards in a fixed order, so the store sees the same writes in the same order on every run.
        for (shard, counts) in engine.statistics.onlineCounts(shards: engine.statistics.dirtyShards).sorted(by: { $0.key < $1.key }) {
            writes.append(.save(key: "df/\(shard)", value: TopicEngine.encodeCounts(counts)))
        }
        var w = StateWriter()
        w.int(Int(engine.statistics.onlineDocuments))
        writes.append(.save(key: "df/documents", value: w.bytes))
        try store.apply(namespace: Self.namespace, writes)
        engine.statistics.clearDirty()
        sinceCheckpoint = 0
    }

    private func persist(_ changes: TopicChanges, recent: (slot: Int, value: [UInt8])) throws {
        guard let store else { return }
        // One transaction per document, in the order the separate writes were made before.
        var writes: [ProcessorStateChange] = []
        for id in changes.stories {
            if let story = engine.stories.stories[id] {
                writes.append(.save(key: "story/\(id)", value: engine.encodeStory(story)))
            }
        }
        for id in changes.evictedStories { writes.append(.remove(key: "story/\(id)")) }
        for id in changes.themes {
            if let theme = engine.themes[id] {
                writes.append(.save(key: "theme/\(id)", value: engine.encodeTheme(theme)))
            }
        }
        for id in changes.runs {
            if let theme = engine.themes[id] {
                writes.append(.save(key: "runs/\(id)", value: engine.encodeRuns(theme)))
            }
        }
        for id in changes.evictedThemes {
            writes.append(.remove(key: "theme/\(id)"))
            if engine.configuration.themeSplitSimilarity > 0 { writes.append(.remove(key: "runs/\(id)")) }
        }
        if changes.splitSnapshot {
            if let snapshot = engine.splitSnapshot {
                writes.append(.save(key: "split", value: engine.encodeSplitSnapshot(snapshot)))
            } else {
                writes.append(.remove(key: "split"))
            }
        }
        if let slot = changes.duplicateSlot, let entry = engine.duplicates.slots[slot] {
            writes.append(.save(key: "dup/\(slot)", value: TopicEngine.encodeDuplicate(entry)))
        }
        writes.append(.save(key: "meta", value: engine.encodeMeta()))
        writes.append(.save(key: RecentObservations.key(recent.slot), value: recent.value))
        try store.apply(namespace: Self.namespace, writes)
        sinceCheckpoint += 1
        if sinceCheckpoint >= engine.configuration.checkpointDocs { try checkpoint() }
    }

    private static func load(
        into engine: inout TopicEngine, recent: inout RecentObservations, from store: any ProcessorStateStore
    ) throws {
        let ns = namespace
        guard let meta = try store.load(namespace: ns, key: "meta") else { return }
        var counts: [TermStatistics.StoredCount] = []
        var stories: [Story] = []
        var themes: [Theme] = []
        var runs: [Int: (runs: [ThemeRun], gram: [Float])] = [:]
        var snapshot: SplitSnapshot?
        var duplicates: [NearDuplicateIndex.Entry] = []
        var onlineDocuments = 0
        var others: [(key: String, bytes: [UInt8])] = []
        for key in try store.keys(namespace: ns) {
            guard let bytes = try store.load(namespace: ns, key: key) else { continue }
            if key == "df/documents" {
                var r = StateReader(bytes, key: key)
                onlineDocuments = try r.int()
            } else if key.hasPrefix("df/") {
                counts += try TopicEngine.decodeCounts(bytes, key: key)
            } else {
                others.append((key, bytes))
            }
        }
        // The vocabulary first, so every term gets back the id it had; decoding a story or theme
        // before would intern its terms in key order instead.
        engine.statistics.restore(onlineDocuments: Double(onlineDocuments), counts: counts)
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
            } else if key.hasPrefix(RecentObservations.keyPrefix) {
                try recent.restore(key: key, bytes: bytes)
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
    }
}
