/// The evidence behind `topic_shift`: running sums (CUSUM) of how much better the recent documents
/// fit another theme, or no theme, than the dominant one.
struct ShiftWindow: Sendable, Equatable {
    /// A document held back while evidence against the dominant theme is open.
    struct Vote: Sendable, Equatable {
        var vector: TermVector
        /// The theme it fitted best (nil: none of them).
        var theme: Int?
        /// Its cosine with the dominant theme when it arrived.
        var similarity: Float
    }

    /// The dominant theme of the stream so far.
    var current: Int?
    /// Documents since the evidence last stood at zero; credited to the dominant theme when it
    /// returns to zero, to the new theme when a shift is raised.
    var pending: [Vote] = []
    var sinceShift = 0
    /// Accumulated evidence for each other known theme.
    var evidence: [Int: Float] = [:]
    /// Accumulated evidence for a theme not seen yet.
    var novelEvidence: Float = 0
}

/// The themes as they were just before the latest split, kept while the split is watched for
/// flip-flops (`TopicEngine.revertFlippingSplit`).
struct SplitSnapshot: Sendable, Equatable {
    /// Sequence number of the split, and the theme that was split.
    var seq: Int
    var theme: Int
    var themes: [Theme]
    /// Shifts since the split that came within `themeSplitDwellDocs` of the previous shift.
    var flips = 0
}

extension TopicEngine {
    /// Pending documents kept at most: older ones are credited to the dominant theme, so a long
    /// stretch of weak evidence cannot grow the state.
    static let maxPendingVotes = 32

    /// Scores the document against every theme; raises `topic_shift` when the evidence for another
    /// theme (or for a new one) passes its threshold.
    ///
    /// Similarities are divided by each theme's typical member similarity, so a cohesive theme and a
    /// broad one are compared on one scale. The evidence is a CUSUM: each document adds its margin
    /// and the sum never drops below zero, so two clear documents or three weaker ones raise a shift
    /// while a single odd article inside a block does not. Hard two-vote agreement, used before,
    /// lost the shifts where one of the first documents of a block happened to be ambiguous.
    mutating func observeTheme(_ vector: TermVector, seq: Int, observation: TopicObservation)
        -> (theme: Int?, alert: TopicAlert?, changed: [Int])
    {
        window.sinceShift += 1
        if let snapshot = splitSnapshot, seq - snapshot.seq > configuration.themeSplitWatchDocs {
            splitSnapshot = nil
            splitSnapshotDirty = true
        }
        guard let current = window.current, themes[current] != nil else {
            let theme = openTheme(with: [vector], seq: seq)
            window = ShiftWindow(current: theme, pending: [], sinceShift: 0)
            return (theme, nil, [theme])
        }
        var relative: [Int: Float] = [:]
        var currentSimilarity: Float = 0
        var best: (id: Int, relative: Float)?
        var products: [Float] = []
        for theme in themes.values {
            let similarity = theme.centroid.cosine(vector, products: &products)
            if theme.id == current { currentSimilarity = similarity }
            let score = similarity / max(theme.meanSimilarity, 1e-3)
            relative[theme.id] = score
            if best.map({ score > $0.relative || (score == $0.relative && theme.id < $0.id) }) ?? true {
                best = (theme.id, score)
            }
        }
        let currentRelative = relative[current] ?? 0
        var evidence: [Int: Float] = [:]
        for (id, score) in relative where id != current {
            let sum = max(0, (window.evidence[id] ?? 0) + score - currentRelative)
            if sum > 0 { evidence[id] = sum }
        }
        window.evidence = evidence
        let bestRelative = best?.relative ?? 0
        window.novelEvidence = max(0, window.novelEvidence + Float(configuration.themeNovelRatio) - bestRelative)
        let fits = bestRelative >= Float(configuration.themeNovelRatio) ? best?.id : nil
        window.pending.append(ShiftWindow.Vote(vector: vector, theme: fits, similarity: currentSimilarity))
        if window.pending.count > Self.maxPendingVotes {
            let oldest = window.pending.removeFirst()
            addToTheme(current, oldest.vector, similarity: oldest.similarity, seq: seq)
        }

        if window.sinceShift > configuration.shiftCooldownDocs,
           let outcome = raiseShift(from: current, seq: seq, observation: observation) {
            return outcome
        }
        guard window.evidence.isEmpty, window.novelEvidence == 0 else { return (fits, nil, []) }
        // The evidence came to nothing: the held-back documents were ordinary members after all.
        let runsBefore = themes[current]?.runs.last?.end
        for vote in window.pending { addToTheme(current, vote.vector, similarity: vote.similarity, seq: seq) }
        window.pending.removeAll()
        // A run closed: test whether the theme's recent runs form two separate groups (two
        // categories fused when they first met). Only here, with no evidence open.
        if themes[current]?.runs.last?.end != runsBefore, let other = splitIfFused(current, seq: seq) {
            return (current, nil, [current, other])
        }
        return (current, nil, [current])
    }

    /// The shift the evidence calls for, if any: to the known theme with the most evidence, else to
    /// a new theme opened from the last `shiftWindowDocs` documents.
    private mutating func raiseShift(from current: Int, seq: Int, observation: TopicObservation)
        -> (theme: Int?, alert: TopicAlert?, changed: [Int])?
    {
        let strongest = window.evidence.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
        let recent = Array(window.pending.suffix(configuration.shiftWindowDocs))
        if splitSnapshot != nil {
            let known = strongest.map { Double($0.value) > configuration.shiftEvidence } ?? false
            let novel = Double(window.novelEvidence) > configuration.shiftNovelEvidence
                && recent.count == configuration.shiftWindowDocs && agree(recent)
            if known || novel, let outcome = revertFlippingSplit(current: current, seq: seq) { return outcome }
        }
        let target: Int
        if let strongest, Double(strongest.value) > configuration.shiftEvidence {
            if let merged = mergeSplit(current: current, into: strongest.key, votes: recent, seq: seq) {
                // One category split over two themes: fold them together instead of alerting.
                for vote in window.pending.dropLast(recent.count) {
                    addToTheme(merged.keep, vote.vector, similarity: vote.similarity, seq: seq)
                }
                window = ShiftWindow(current: merged.keep, pending: [], sinceShift: window.sinceShift)
                return (merged.keep, nil, [merged.keep])
            }
            target = strongest.key
            for vote in recent {
                let similarity = themes[target].map { $0.centroid.cosine(vote.vector) } ?? 0
                addToTheme(target, vote.vector, similarity: similarity, seq: seq)
            }
        } else if Double(window.novelEvidence) > configuration.shiftNovelEvidence,
                  recent.count == configuration.shiftWindowDocs, agree(recent) {
            target = openTheme(with: recent.map(\.vector), seq: seq)
        } else {
            return nil
        }
        var changed = [target]
        if let merged = mergeFragment(of: current) { changed.append(merged) }
        let similarity = Double(recent.map(\.similarity).reduce(0, +) / Float(max(recent.count, 1)))
        window = ShiftWindow(current: target, pending: [], sinceShift: 0)
        let label = themes[target].map { self.label($0.centroid) } ?? ""
        let alert = TopicAlert(
            alertClass: .topicShift, topicID: Self.themeName(target), topicLabel: label,
            previousTopicID: Self.themeName(current), similarity: similarity.rounded4,
            documentID: observation.id, documentPath: observation.path
        )
        return (target, alert, changed)
    }

    /// Folds the theme just left into an older theme it has come to resemble: one category split
    /// over two themes would otherwise raise shifts inside a single block. Checked once per shift,
    /// so it costs nothing per document.
    private mutating func mergeFragment(of id: Int) -> Int? {
        guard configuration.themeMergeSimilarity < 1, let theme = themes[id] else { return nil }
        var best: (id: Int, similarity: Float)?
        for other in themes.values where other.id != id && other.id != window.current {
            let similarity = theme.centroid.cosine(other.centroid)
            // Ties go to the lower id, not to whichever the dictionary yields first.
            if best.map({ similarity > $0.similarity || (similarity == $0.similarity && other.id < $0.id) }) ?? true {
                best = (other.id, similarity)
            }
        }
        guard let best, Double(best.similarity) >= configuration.themeMergeSimilarity, var into = themes[best.id] else { return nil }
        // Keep the older id: alerts and outbox results already name it.
        let (keep, drop) = into.id < theme.id ? (into, theme) : (theme, into)
        into = keep
        into.centroid.add(drop.centroid)
        into.count += drop.count
        into.lastSeen = max(keep.lastSeen, drop.lastSeen)
        into.meanSimilarity = (keep.meanSimilarity + drop.meanSimilarity) / 2
        mergeRuns(&into, drop)
        themes[keep.id] = into
        themes[drop.id] = nil
        evictedThemes.append(drop.id)
        return keep.id
    }

    /// Merges the current theme and the voted one when their centroids are close; returns the kept
    /// (older) id. The dropped id is forgotten like an evicted theme.
    private mutating func mergeSplit(current: Int, into other: Int, votes: [ShiftWindow.Vote], seq: Int) -> (keep: Int, drop: Int)? {
        guard configuration.themeFlipMergeSimilarity < 1, let a = themes[current], let b = themes[other],
              Double(a.centroid.cosine(b.centroid)) >= configuration.themeFlipMergeSimilarity else { return nil }
        let (keep, drop) = a.id < b.id ? (a, b) : (b, a)
        var merged = keep
        merged.centroid.add(drop.centroid)
        merged.count += drop.count
        merged.lastSeen = max(keep.lastSeen, drop.lastSeen)
        merged.meanSimilarity = (keep.meanSimilarity + drop.meanSimilarity) / 2
        mergeRuns(&merged, drop)
        themes[keep.id] = merged
        themes[drop.id] = nil
        evictedThemes.append(drop.id)
        for earlier in votes {
            addToTheme(keep.id, earlier.vector, similarity: merged.centroid.cosine(earlier.vector), seq: seq)
        }
        return (keep.id, drop.id)
    }

    /// Flip-flop guard. While a split is watched (`themeSplitWatchDocs` documents after it), every
    /// shift that comes within `themeSplitDwellDocs` of the previous one is a flip; at
    /// `themeSplitMaxFlips` flips the themes are put back as they were just before the split (the
    /// documents since then are not added back), that theme never splits again, and no alert is
    /// raised. Real categories come in blocks; a stream that flips every few documents after a split
    /// (a stream with no categories: the halves, and the novel themes opened between them, all fit
    /// it about equally) was not two categories. Returns the outcome when it reverted.
    private mutating func revertFlippingSplit(current: Int, seq: Int) -> (theme: Int?, alert: TopicAlert?, changed: [Int])? {
        guard configuration.themeSplitMaxFlips > 0, var snapshot = splitSnapshot,
              window.sinceShift <= configuration.themeSplitDwellDocs else { return nil }
        snapshot.flips += 1
        splitSnapshot = snapshot
        splitSnapshotDirty = true
        guard snapshot.flips >= configuration.themeSplitMaxFlips else { return nil }
        let restored = Dictionary(uniqueKeysWithValues: snapshot.themes.map { ($0.id, $0) })
        for id in themes.keys.sorted() where restored[id] == nil { evictedThemes.append(id) }
        themes = restored
        themes[snapshot.theme]?.splitBlocked = true
        themes[snapshot.theme]?.runs = []
        themes[snapshot.theme]?.runGram = []
        themes[snapshot.theme]?.openRun = RunSums()
        themes[snapshot.theme]?.openRunCount = 0
        let ids = themes.keys.sorted()
        touchedThemes += ids
        changedRuns += ids
        splitSnapshot = nil
        window = ShiftWindow(current: snapshot.theme, pending: [], sinceShift: window.sinceShift)
        return (snapshot.theme, nil, [snapshot.theme])
    }

    /// Documents that would open a new theme must resemble one another: two unrelated outliers in a
    /// row are noise, not a new theme.
    private func agree(_ votes: [ShiftWindow.Vote]) -> Bool {
        for i in votes.indices {
            for j in votes.indices where j > i {
                if Double(votes[i].vector.dot(votes[j].vector)) < configuration.themePairSimilarity { return false }
            }
        }
        return true
    }

    private mutating func openTheme(with vectors: [TermVector], seq: Int) -> Int {
        let id = nextThemeID
        nextThemeID += 1
        var centroid = Centroid(limit: configuration.themeTerms)
        for vector in vectors { centroid.add(vector) }
        // A new theme starts from the typical cohesion of the others: its own few members say little.
        // Averaged in theme id order, so the float sum does not depend on the dictionary's order.
        let known = themes.values.sorted { $0.id < $1.id }.map(\.meanSimilarity)
        let prior = known.isEmpty ? Float(configuration.themeInitialSimilarity) : known.reduce(0, +) / Float(known.count)
        themes[id] = Theme(id: id, centroid: centroid, count: vectors.count, lastSeen: seq, meanSimilarity: prior)
        evictThemeIfFull(except: id)
        return id
    }

    private mutating func evictThemeIfFull(except id: Int) {
        guard themes.count > configuration.maxThemes else { return }
        let keep = window.current
        if let victim = themes.values.filter({ $0.id != id && $0.id != keep })
            .min(by: { $0.lastSeen != $1.lastSeen ? $0.lastSeen < $1.lastSeen : $0.id < $1.id }) {
            themes[victim.id] = nil
            evictedThemes.append(victim.id)
        }
    }

    private mutating func addToTheme(_ id: Int, _ vector: TermVector, similarity: Float, seq: Int) {
        // Taken out of the table while it changes: a copy would share, and so copy whole on the
        // first write, its open run's sums (thousands of terms).
        guard var theme = themes.removeValue(forKey: id) else { return }
        theme.meanSimilarity += Float(configuration.themeSimilarityDecay) * (similarity - theme.meanSimilarity)
        theme.centroid.add(vector)
        theme.count += 1
        theme.lastSeen = seq
        if configuration.themeSplitSimilarity > 0, !theme.splitBlocked {
            theme.openRun.add(vector)
            theme.openRunCount += 1
            if theme.openRunCount >= configuration.themeRunDocs {
                closeRun(&theme, seq: seq)
                changedRuns.append(id)
            }
        }
        themes[id] = theme
        touchedThemes.append(id)
    }

    /// Turns the open run into a run centroid and adds its row of cosines; drops the oldest run
    /// beyond `themeRuns`. Costs one dot product per kept run, once every `themeRunDocs` members.
    private func closeRun(_ theme: inout Theme, seq: Int) {
        let scale = theme.openRun.length
        let vector = theme.openRun.vector(limit: configuration.themeRunTerms)
        theme.openRun = RunSums()
        let count = theme.openRunCount
        theme.openRunCount = 0
        guard !vector.isEmpty else { return }
        guard theme.runGram.count == theme.runs.count * theme.runs.count else {
            theme.runs.append(ThemeRun(vector: vector, scale: scale, count: count, end: seq))
            theme.runGram = Self.gram(theme.runs)
            return
        }
        var n = theme.runs.count
        if n >= configuration.themeRuns {
            // Drop the oldest run and its row and column.
            let drop = n - configuration.themeRuns + 1
            var gram: [Float] = []
            gram.reserveCapacity((n - drop) * (n - drop))
            for i in drop..<n { gram += theme.runGram[(i * n + drop)..<(i * n + n)] }
            theme.runs.removeFirst(drop)
            theme.runGram = gram
            n -= drop
        }
        let row = theme.runs.map { vector.dot($0.vector) }
        var gram = [Float](repeating: 0, count: (n + 1) * (n + 1))
        for i in 0..<n {
            for j in 0..<n { gram[i * (n + 1) + j] = theme.runGram[i * n + j] }
            gram[i * (n + 1) + n] = row[i]
            gram[n * (n + 1) + i] = row[i]
        }
        gram[n * (n + 1) + n] = 1
        theme.runGram = gram
        theme.runs.append(ThemeRun(vector: vector, scale: scale, count: count, end: seq))
    }

    /// Pairwise cosines of unit run vectors, row-major.
    static func gram(_ runs: [ThemeRun]) -> [Float] {
        let n = runs.count
        var gram = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            gram[i * n + i] = 1
            for j in 0..<i {
                let c = runs[i].vector.dot(runs[j].vector)
                gram[i * n + j] = c
                gram[j * n + i] = c
            }
        }
        return gram
    }

    /// Runs of two merged themes: both lists by closing time, the newest `themeRuns` kept.
    private mutating func mergeRuns(_ keep: inout Theme, _ drop: Theme) {
        guard configuration.themeSplitSimilarity > 0 else { return }
        let all = (keep.runs + drop.runs).enumerated().sorted { ($0.element.end, $0.offset) < ($1.element.end, $1.offset) }.map(\.element)
        keep.runs = Array(all.suffix(configuration.themeRuns))
        keep.runGram = Self.gram(keep.runs)
        changedRuns.append(keep.id)
    }

    /// 2-means over the theme's run centroids (on their cosines); when both groups hold at least
    /// `themeSplitMinRuns` runs and the groups' centroids have cosine below `themeSplitSimilarity`,
    /// the theme keeps the group of its newest run and the other group becomes a new theme. Returns
    /// the new theme's id.
    ///
    /// Two categories that fuse when they first meet alternate in the theme in blocks; single
    /// documents of the two overlap too much for 2-means (it split off a few outliers), while
    /// centroids of a few consecutive members separate them.
    mutating func splitIfFused(_ id: Int, seq: Int) -> Int? {
        guard configuration.themeSplitSimilarity > 0, splitSnapshot == nil, let theme = themes[id], !theme.splitBlocked else { return nil }
        let runs = theme.runs
        let n = runs.count
        let minRuns = configuration.themeSplitMinRuns
        guard n >= 2 * minRuns, theme.runGram.count == n * n else { return nil }
        let k = theme.runGram
        // Seeds: the run least like all the others, then the run least like that one.
        var rowSums = [Float](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { rowSums[i] += k[i * n + j] } }
        var a = 0
        for i in 1..<n where rowSums[i] < rowSums[a] { a = i }
        var b = a == 0 ? 1 : 0
        for j in 0..<n where j != a && k[a * n + j] < k[a * n + b] { b = j }
        var inB = [Bool](repeating: false, count: n)
        inB[b] = true
        var members: ([Int], [Int]) = ([a], [b])
        for _ in 0..<10 {
            let (sa, sb) = (Self.groupSquare(k, n, members.0), Self.groupSquare(k, n, members.1))
            guard sa > 0, sb > 0 else { return nil }
            var next = [Bool](repeating: false, count: n)
            for i in 0..<n {
                var ta: Float = 0
                var tb: Float = 0
                for j in members.0 { ta += k[i * n + j] }
                for j in members.1 { tb += k[i * n + j] }
                next[i] = tb / sb.squareRoot() > ta / sa.squareRoot()
            }
            let changed = next != inB
            inB = next
            members = ((0..<n).filter { !inB[$0] }, (0..<n).filter { inB[$0] })
            guard !members.0.isEmpty, !members.1.isEmpty else { return nil }
            if !changed { break }
        }
        guard members.0.count >= minRuns, members.1.count >= minRuns else { return nil }
        var between: Float = 0
        for i in members.0 { for j in members.1 { between += k[i * n + j] } }
        let cosine = between / (Self.groupSquare(k, n, members.0) * Self.groupSquare(k, n, members.1)).squareRoot()
        guard Double(cosine) < configuration.themeSplitSimilarity else { return nil }
        // Two fused categories come back in turns (A … B … A): the groups alternate in time. Old
        // runs against new ones (one stretch each) are drift within a theme, not two categories.
        var switches = 0
        for i in 1..<n where inB[i] != inB[i - 1] { switches += 1 }
        guard switches >= configuration.themeSplitSwitches else { return nil }
        // Two categories: runs resemble the runs of their own group far more than the other's. Runs
        // with no structure (all weakly alike, as in a stream of unrelated stories) also give two
        // group sums with a low cosine, but no such contrast.
        func within(_ group: [Int]) -> Float {
            (Self.groupSquare(k, n, group) - Float(group.count)) / Float(group.count * (group.count - 1))
        }
        let meanBetween = between / Float(members.0.count * members.1.count)
        guard Double(min(within(members.0), within(members.1))) >= configuration.themeSplitContrast * Double(max(meanBetween, 1e-4)) else {
            return nil
        }

        // The theme keeps the group of its newest run: the stream is in that category now.
        let (stay, leave) = inB[n - 1] ? (members.1, members.0) : (members.0, members.1)
        func rebuilt(_ group: [Int]) -> Centroid {
            var centroid = Centroid(limit: configuration.themeTerms)
            centroid.add(contentsOf: group.map { (runs[$0].vector, runs[$0].scale) })
            return centroid
        }
        if configuration.themeSplitMaxFlips > 0 {
            splitSnapshot = SplitSnapshot(seq: seq, theme: id, themes: themes.values.sorted { $0.id < $1.id })
            splitSnapshotDirty = true
        }
        var kept = theme
        kept.centroid = rebuilt(stay)
        kept.runs = stay.map { runs[$0] }
        kept.runGram = Self.gram(kept.runs)
        let leftCount = leave.reduce(0) { $0 + runs[$1].count }
        kept.count = max(1, theme.count - leftCount)
        themes[id] = kept
        let newID = nextThemeID
        nextThemeID += 1
        var other = Theme(id: newID, centroid: rebuilt(leave), count: leftCount, lastSeen: leave.map { runs[$0].end }.max() ?? seq,
                          meanSimilarity: theme.meanSimilarity)
        other.runs = leave.map { runs[$0] }
        other.runGram = Self.gram(other.runs)
        themes[newID] = other
        changedRuns += [id, newID]
        evictThemeIfFull(except: newID)
        return newID
    }

    /// Squared norm of the sum of a group's unit run vectors.
    private static func groupSquare(_ k: [Float], _ n: Int, _ group: [Int]) -> Float {
        var sum: Float = 0
        for i in group { for j in group { sum += k[i * n + j] } }
        return sum
    }
}
