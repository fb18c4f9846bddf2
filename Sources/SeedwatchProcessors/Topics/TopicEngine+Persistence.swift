/// Encoding of the tracker's state as store keys.
///
/// One key per story, theme and fingerprint slot, written at a checkpoint (every `checkpoint_docs`
/// documents) only when changed; between checkpoints each document is logged (`TopicStateLog`).
/// Terms are written as strings because term ids are local to a process.
///   `meta`            sequence, next ids, the shift window
///   `story/<id>`      a story and its centroid
///   `theme/<id>`      a theme and its centroid (then its split flag and open run)
///   `runs/<id>`       a theme's closed run centroids and their cosines (the split test)
///   `split`           the themes as they were before the latest split, while it is watched
///   `dup/<slot>`      one near-duplicate signature
///   `df/<shard>`      online document frequencies of one term shard
///   `dfd/<sequence>`  the online counts changed since the previous checkpoint (a few, then the
///                     shards are written whole)
///   `df/documents`    the online document count
///   `log/<sequence>`  a document observed since the last checkpoint
///   `recent/<slot>`   the id and result of one of the last 1,024 documents (`RecentObservations`)
extension TopicEngine {
    /// 2 added the shift evidence; a version 1 `meta` still loads (with no evidence open).
    static let formatVersion = 2

    func encodeMeta() -> [UInt8] {
        var w = StateWriter()
        w.int(Self.formatVersion)
        w.int(sequence)
        w.int(nextStoryID)
        w.int(nextThemeID)
        w.int(window.current ?? -1)
        w.int(window.sinceShift)
        w.int(window.pending.count)
        for vote in window.pending {
            encode(vote.vector, into: &w)
            w.int(vote.theme ?? -1)
            w.float(vote.similarity)
        }
        let evidence = window.evidence.sorted { $0.key < $1.key }
        w.int(evidence.count)
        for (theme, sum) in evidence {
            w.int(theme)
            w.float(sum)
        }
        w.float(window.novelEvidence)
        return w.bytes
    }

    mutating func restoreMeta(_ bytes: [UInt8]) throws {
        var r = StateReader(bytes, key: "meta")
        let version = try r.int()
        guard version == 1 || version == Self.formatVersion else {
            throw TopicsError.corruptState(key: "meta", reason: "unknown format version")
        }
        sequence = try r.int()
        // Slots of the near-duplicate ring are taken modulo the sequence: a negative one would trap.
        guard sequence >= 0 else { throw TopicsError.corruptState(key: "meta", reason: "negative document sequence") }
        nextStoryID = try r.int()
        nextThemeID = try r.int()
        let current = try r.int()
        window.current = current >= 0 ? current : nil
        window.sinceShift = try r.int()
        let pending = try r.count(elementSize: 12)
        window.pending = []
        for _ in 0..<pending {
            let vector = try decodeVector(&r)
            let theme = try r.int()
            let similarity = try r.float()
            window.pending.append(ShiftWindow.Vote(vector: vector, theme: theme >= 0 ? theme : nil, similarity: similarity))
        }
        window.evidence = [:]
        window.novelEvidence = 0
        guard version >= 2 else { return }
        let themes = try r.count(elementSize: 12)
        for _ in 0..<themes {
            let theme = try r.int()
            window.evidence[theme] = try r.float()
        }
        window.novelEvidence = try r.float()
    }

    func encodeStory(_ story: Story) -> [UInt8] {
        var w = StateWriter()
        w.int(story.id)
        w.int(story.count)
        w.int(story.created)
        w.int(story.lastSeen)
        encode(story.centroid, into: &w)
        // Label forms (absent in keys written before they were counted), in term id order.
        let forms = story.labelForms.forms.sorted { $0.key < $1.key }
        w.int(forms.count)
        for (id, list) in forms {
            w.string(statistics.term(id))
            w.int(list.count)
            for form in list {
                w.string(form.text)
                w.int(form.count)
            }
        }
        return w.bytes
    }

    mutating func decodeStory(_ bytes: [UInt8], key: String) throws -> Story {
        var r = StateReader(bytes, key: key)
        let id = try r.int()
        let count = try r.int()
        let created = try r.int()
        let lastSeen = try r.int()
        let centroid = try decodeCentroid(&r, limit: configuration.storyTerms)
        var story = Story(id: id, centroid: centroid, count: count, created: created, lastSeen: lastSeen)
        let candidates = centroid.top(LabelForms.candidates)
        story.labelForms = LabelForms(forms: [:], candidates: candidates)
        guard !r.isAtEnd else { return story }
        var forms: [Int32: [LabelForms.Form]] = [:]
        let terms = try r.count(elementSize: 2)
        for _ in 0..<terms {
            let term = try r.string()
            var list: [LabelForms.Form] = []
            for _ in 0..<(try r.count(elementSize: 2)) {
                let text = try r.string()
                list.append(LabelForms.Form(text: text, count: try r.int()))
            }
            // Every candidate is a centroid term, so it is interned already.
            if let id = statistics.id(of: term) { forms[id] = list }
        }
        story.labelForms = LabelForms(forms: forms, candidates: candidates)
        return story
    }

    func encodeTheme(_ theme: Theme) -> [UInt8] {
        var w = StateWriter()
        w.int(theme.id)
        w.int(theme.count)
        w.int(theme.lastSeen)
        w.float(theme.meanSimilarity)
        encode(theme.centroid, into: &w)
        // Split state (absent in keys written before it existed): the flag and the open run.
        w.int(theme.splitBlocked ? 1 : 0)
        w.int(theme.openRunCount)
        w.int(theme.openRun.ids.count)
        for (id, weight) in theme.openRun.sortedEntries {
            w.string(statistics.term(id))
            w.string(statistics.surface(id))
            w.float(weight)
        }
        return w.bytes
    }

    /// A theme's closed runs and their cosines, stored as written (no recomputation on load, so the
    /// split test sees the same numbers after a restart).
    func encodeRuns(_ theme: Theme) -> [UInt8] {
        var w = StateWriter()
        w.int(theme.runs.count)
        for run in theme.runs {
            encode(run.vector, into: &w)
            w.float(run.scale)
            w.int(run.count)
            w.int(run.end)
        }
        w.int(theme.runGram.count)
        for value in theme.runGram { w.float(value) }
        return w.bytes
    }

    mutating func decodeRuns(_ bytes: [UInt8], key: String) throws -> (runs: [ThemeRun], gram: [Float]) {
        var r = StateReader(bytes, key: key)
        let n = try r.count(elementSize: 28)
        var runs: [ThemeRun] = []
        for _ in 0..<n {
            let vector = try decodeVector(&r)
            let scale = try r.float()
            let count = try r.int()
            let end = try r.int()
            runs.append(ThemeRun(vector: vector, scale: scale, count: count, end: end))
        }
        let g = try r.count(elementSize: 4)
        guard g == n * n else { throw TopicsError.corruptState(key: key, reason: "run cosines do not match the runs") }
        var gram: [Float] = []
        gram.reserveCapacity(g)
        for _ in 0..<g { gram.append(try r.float()) }
        return (runs, gram)
    }

    func encodeSplitSnapshot(_ snapshot: SplitSnapshot) -> [UInt8] {
        var w = StateWriter()
        w.int(snapshot.seq)
        w.int(snapshot.theme)
        w.int(snapshot.flips)
        w.int(snapshot.themes.count)
        for theme in snapshot.themes {
            w.blob(encodeTheme(theme))
            w.blob(encodeRuns(theme))
        }
        return w.bytes
    }

    mutating func decodeSplitSnapshot(_ bytes: [UInt8], key: String) throws -> SplitSnapshot {
        var r = StateReader(bytes, key: key)
        let seq = try r.int()
        let theme = try r.int()
        let flips = try r.int()
        let n = try r.count(elementSize: 16)
        var themes: [Theme] = []
        for _ in 0..<n {
            var decoded = try decodeTheme(try r.blob(), key: key)
            (decoded.runs, decoded.runGram) = try decodeRuns(try r.blob(), key: key)
            themes.append(decoded)
        }
        return SplitSnapshot(seq: seq, theme: theme, themes: themes, flips: flips)
    }

    mutating func decodeTheme(_ bytes: [UInt8], key: String) throws -> Theme {
        var r = StateReader(bytes, key: key)
        let id = try r.int()
        let count = try r.int()
        let lastSeen = try r.int()
        let meanSimilarity = try r.float()
        let centroid = try decodeCentroid(&r, limit: configuration.themeTerms)
        var theme = Theme(id: id, centroid: centroid, count: count, lastSeen: lastSeen, meanSimilarity: meanSimilarity)
        guard !r.isAtEnd else { return theme }
        theme.splitBlocked = try r.int() != 0
        theme.openRunCount = try r.int()
        let n = try r.count(elementSize: 20)
        var openRun: [Int32: Float] = [:]
        for _ in 0..<n {
            let term = try r.string()
            let surface = try r.string()
            openRun[statistics.intern(term, surface: surface), default: 0] += try r.float()
        }
        theme.openRun = RunSums(openRun)
        return theme
    }

    static func encodeDuplicate(_ entry: NearDuplicateIndex.Entry) -> [UInt8] {
        var w = StateWriter()
        w.int(entry.sequence)
        w.int(entry.signature.count)
        for value in entry.signature { w.int(Int(value)) }
        w.string(entry.documentID)
        w.int(entry.storyID)
        return w.bytes
    }

    static func decodeDuplicate(_ bytes: [UInt8], key: String) throws -> NearDuplicateIndex.Entry {
        var r = StateReader(bytes, key: key)
        let sequence = try r.int()
        // The index places an entry at sequence % capacity: a negative one would be out of range.
        guard sequence >= 0 else { throw CorruptState(key: key, reason: "bad sequence \(sequence)") }
        let count = try r.count(elementSize: 8)
        var signature: [UInt32] = []
        for _ in 0..<count { signature.append(UInt32(truncatingIfNeeded: try r.int())) }
        return NearDuplicateIndex.Entry(sequence: sequence, signature: signature, documentID: try r.string(), storyID: try r.int())
    }

    /// Marks counts written with ids and surfaces (earlier ones begin with their count, never negative).
    private static let numberedCounts = -1

    static func encodeCounts(_ counts: [TermStatistics.StoredCount]) -> [UInt8] {
        var w = StateWriter()
        w.int(numberedCounts)
        w.int(counts.count)
        for stored in counts {
            w.string(stored.term)
            w.float(stored.count)
            w.int(Int(stored.id ?? -1))
            w.string(stored.surface ?? stored.term)
        }
        return w.bytes
    }

    static func decodeCounts(_ bytes: [UInt8], key: String) throws -> [TermStatistics.StoredCount] {
        var r = StateReader(bytes, key: key)
        var n = try r.int()
        let numbered = n == numberedCounts
        if numbered { n = try r.int() }
        guard n >= 0, n <= bytes.count else { throw CorruptState(key: key, reason: "bad count \(n)") }
        var out: [TermStatistics.StoredCount] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            var stored = TermStatistics.StoredCount(term: try r.string(), count: try r.float())
            if numbered {
                let id = try r.int()
                guard id >= -1, id <= Int(Int32.max) else { throw CorruptState(key: key, reason: "bad term id \(id)") }
                stored.id = id >= 0 ? Int32(id) : nil
                stored.surface = try r.string()
            }
            out.append(stored)
        }
        return out
    }

    private func encode(_ centroid: Centroid, into w: inout StateWriter) {
        w.int(centroid.count)
        for (id, weight) in centroid.sortedEntries {
            w.string(statistics.term(id))
            w.string(statistics.surface(id))
            w.float(weight)
        }
    }

    private mutating func decodeCentroid(_ r: inout StateReader, limit: Int) throws -> Centroid {
        let n = try r.count(elementSize: 20)
        var weights: [Int32: Float] = [:]
        for _ in 0..<n {
            let term = try r.string()
            let surface = try r.string()
            let weight = try r.float()
            weights[statistics.intern(term, surface: surface)] = weight
        }
        return Centroid(limit: limit, weights: weights)
    }

    private func encode(_ vector: TermVector, into w: inout StateWriter) {
        w.int(vector.ids.count)
        for (id, weight) in zip(vector.ids, vector.weights) {
            w.string(statistics.term(id))
            w.string(statistics.surface(id))
            w.float(weight)
        }
    }

    private mutating func decodeVector(_ r: inout StateReader) throws -> TermVector {
        let n = try r.count(elementSize: 20)
        var ids: [Int32] = []
        var weights: [Float] = []
        for _ in 0..<n {
            let term = try r.string()
            let surface = try r.string()
            ids.append(statistics.intern(term, surface: surface))
            weights.append(try r.float())
        }
        return TermVector(ids: ids, weights: weights)
    }
}
