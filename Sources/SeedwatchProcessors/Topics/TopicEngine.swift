/// The tracker's decisions, as a value type: stories, themes, near-duplicates, the shift window.
///
/// Kept apart from the actor so the logic is plain synchronous code; the actor serialises calls
/// and persists what each call changed (`TopicChanges`).
struct TopicEngine: Sendable {
    let configuration: TopicTrackerConfiguration
    var statistics: TermStatistics
    var stories: StoryIndex
    var themes: [Int: Theme] = [:]
    var duplicates: NearDuplicateIndex
    var window = ShiftWindow()
    /// Documents seen (the next document's sequence number).
    var sequence = 0
    var nextStoryID = 1
    var nextThemeID = 1
    /// Themes forgotten since the last observation returned (their keys must be deleted).
    var evictedThemes: [Int] = []
    /// Themes whose members, runs or flags changed since the last observation returned.
    var touchedThemes: [Int] = []
    /// Themes whose closed runs changed (their `runs/<id>` key must be rewritten).
    var changedRuns: [Int] = []
    /// The themes before the latest split while it is watched; dirty when its key must be rewritten
    /// (or removed, when nil).
    var splitSnapshot: SplitSnapshot?
    var splitSnapshotDirty = false

    init(configuration: TopicTrackerConfiguration, background: BackgroundModel) {
        self.configuration = configuration
        statistics = TermStatistics(background: background)
        stories = StoryIndex(postingsCap: configuration.postingsPerTerm, maxStories: configuration.maxStories)
        duplicates = NearDuplicateIndex(capacity: configuration.nearDuplicateWindow, minimumSimilarity: configuration.nearDuplicateSimilarity)
    }

    /// Assigns one document to a story and a theme and decides its alerts.
    /// `prepared`: the observation's terms when `TopicVectorizer.prepare` already made them.
    mutating func observe(_ observation: TopicObservation, prepared: PreparedTopicDocument? = nil) -> (TopicsResult, TopicChanges) {
        let seq = sequence
        sequence += 1
        var changes = TopicChanges()
        let terms = prepared ?? TopicVectorizer.prepare(observation, configuration: configuration)
        let doc = TopicVectorizer.analyse(terms, statistics: &statistics, configuration: configuration)
        statistics.observe(distinct: doc.distinctTerms)
        let signature = doc.signature
        let duplicate = signature.flatMap { duplicates.find($0, wordCount: doc.wordCount) }

        guard !doc.vector.isEmpty || duplicate != nil else {
            // Nothing to index (no content words): report it without touching any story.
            return (TopicsResult(topic: "none", label: "", similarity: 0, theme: nil, alerts: [], nearDuplicateOf: nil, sequence: seq), changes)
        }

        var alerts: [TopicAlert] = []
        let nearest = stories.nearest(doc.vector, candidateTerms: configuration.candidateTerms)
        var story: Story
        var similarity: Double
        if let duplicate {
            // A re-send joins the original's story and never opens one, even if that story was forgotten.
            story = stories.stories[duplicate.storyID]
                ?? Story(id: duplicate.storyID, centroid: Centroid(limit: configuration.storyTerms), count: 0, created: seq, lastSeen: seq)
            similarity = 1
        } else if let nearest, joins(nearest, at: seq) {
            story = nearest.story
            similarity = Double(nearest.similarity)
        } else {
            story = Story(id: nextStoryID, centroid: Centroid(limit: configuration.storyTerms), count: 0, created: seq, lastSeen: seq)
            nextStoryID += 1
            similarity = Double(nearest?.similarity ?? 0)
            add(doc, to: &story)
            alerts.append(TopicAlert(
                alertClass: .newTopic, topicID: Self.storyName(story.id), topicLabel: label(story),
                previousTopicID: nearest.map { Self.storyName($0.story.id) }, similarity: similarity.rounded4,
                documentID: observation.id, documentPath: observation.path
            ))
            story.count = 1
            story.lastSeen = seq
            stories.update(story)
            changes.stories.append(story.id)
            return finish(observation, doc: doc, story: story, similarity: similarity, alerts: alerts,
                          duplicate: duplicate, signature: signature, seq: seq, changes: changes)
        }
        if !doc.vector.isEmpty { add(doc, to: &story) }
        story.count += 1
        story.lastSeen = seq
        stories.update(story)
        changes.stories.append(story.id)
        return finish(observation, doc: doc, story: story, similarity: similarity, alerts: alerts,
                      duplicate: duplicate, signature: signature, seq: seq, changes: changes)
    }

    /// Joins at the full threshold, or at the burst threshold while the story is young.
    private func joins(_ nearest: (story: Story, similarity: Float), at seq: Int) -> Bool {
        let similarity = Double(nearest.similarity)
        if similarity >= configuration.joinSimilarity { return true }
        return similarity >= configuration.burstSimilarity && seq - nearest.story.lastSeen <= configuration.burstWindowDocs
    }

    private mutating func finish(
        _ observation: TopicObservation, doc: AnalysedDocument, story: Story, similarity: Double, alerts: [TopicAlert],
        duplicate: NearDuplicateIndex.Entry?, signature: [UInt32]?, seq: Int, changes: TopicChanges
    ) -> (TopicsResult, TopicChanges) {
        var alerts = alerts
        var changes = changes
        if let signature {
            let entry = NearDuplicateIndex.Entry(sequence: seq, signature: signature, documentID: observation.id, storyID: story.id)
            duplicates.insert(entry)
            changes.duplicateSlot = duplicates.slot(of: entry)
        }
        var themeName: String?
        if !doc.vector.isEmpty {
            let outcome = observeTheme(doc.themeVector, seq: seq, observation: observation)
            themeName = outcome.theme.map(Self.themeName)
            if let alert = outcome.alert { alerts.append(alert) }
            changes.themes = outcome.changed
        }
        for id in touchedThemes + changedRuns where !changes.themes.contains(id) { changes.themes.append(id) }
        touchedThemes.removeAll()
        for id in changedRuns where !changes.runs.contains(id) { changes.runs.append(id) }
        changedRuns.removeAll()
        changes.splitSnapshot = splitSnapshotDirty
        splitSnapshotDirty = false
        changes.evictedStories = stories.takeEvicted()
        changes.evictedThemes = evictedThemes
        evictedThemes.removeAll()
        let result = TopicsResult(
            topic: Self.storyName(story.id), label: label(story), similarity: similarity.rounded4,
            theme: themeName, alerts: alerts, nearDuplicateOf: duplicate?.documentID, sequence: seq
        )
        return (result, changes)
    }

    /// Adds a document to a story's centroid and counts how it wrote the story's label candidates.
    private func add(_ doc: AnalysedDocument, to story: inout Story) {
        story.centroid.add(doc.vector)
        story.labelForms.record(ids: doc.vector.ids, forms: doc.forms, candidates: story.centroid.top(LabelForms.candidates))
    }

    static func storyName(_ id: Int) -> String { "topic-\(id)" }
    static func themeName(_ id: Int) -> String { "theme-\(id)" }
}

/// What one observation changed, so the actor writes only those keys.
struct TopicChanges: Sendable {
    var stories: [Int] = []
    var evictedStories: [Int] = []
    var themes: [Int] = []
    var evictedThemes: [Int] = []
    /// Themes whose `runs/<id>` key must be rewritten.
    var runs: [Int] = []
    /// The `split` key (the watched split's snapshot) must be rewritten, or removed.
    var splitSnapshot = false
    var duplicateSlot: Int?
}

extension Double {
    /// Four decimals: enough for a similarity, stable in JSON output.
    var rounded4: Double { (self * 10_000).rounded() / 10_000 }
}
