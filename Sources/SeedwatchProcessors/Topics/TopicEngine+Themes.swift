/// The recent window of theme votes behind `topic_shift`.
struct ShiftWindow: Sendable, Equatable {
    /// A document's vote: a known theme, or none of them (novel).
    struct Vote: Sendable, Equatable {
        var vector: TermVector
        var theme: Int?
        var similarity: Float
    }

    /// The dominant theme of the stream so far.
    var current: Int?
    /// Consecutive recent documents that voted against the current theme.
    var pending: [Vote] = []
    var sinceShift = 0
}

extension TopicEngine {
    /// Votes the document into a theme; raises `topic_shift` when `shiftWindowDocs` consecutive
    /// documents agree on a theme other than the dominant one.
    ///
    /// Comparing against every remembered theme (not only the current one) makes the decision
    /// relative: a business article is nearer the business theme than the politics one even when
    /// both similarities are low, which a single absolute threshold cannot tell.
    mutating func observeTheme(_ vector: TermVector, seq: Int, observation: TopicObservation)
        -> (theme: Int?, alert: TopicAlert?, changed: [Int])
    {
        window.sinceShift += 1
        guard let current = window.current, themes[current] != nil else {
            let theme = openTheme(with: [vector], seq: seq)
            window = ShiftWindow(current: theme, pending: [], sinceShift: 0)
            return (theme, nil, [theme])
        }
        // Best theme other than the current one, and the current one's similarity.
        var other: (id: Int, similarity: Float)?
        var currentSimilarity: Float = 0
        for theme in themes.values {
            let similarity = theme.centroid.cosine(vector)
            if theme.id == current {
                currentSimilarity = similarity
            } else if other.map({ similarity > $0.similarity || (similarity == $0.similarity && theme.id < $0.id) }) ?? true {
                other = (theme.id, similarity)
            }
        }
        let vote = self.vote(current: current, currentSimilarity: currentSimilarity, other: other)
        let inCooldown = window.sinceShift <= configuration.shiftCooldownDocs
        if vote == current || (inCooldown && vote == nil) {
            // Earlier outliers were noise; they are not credited to any theme, so one stray article
            // cannot drag a theme toward another category.
            window.pending.removeAll()
            addToTheme(current, vector, similarity: currentSimilarity, seq: seq)
            return (current, nil, [current])
        }
        let voteSimilarity = vote.flatMap { id in other.map { $0.id == id ? $0.similarity : 0 } } ?? currentSimilarity
        window.pending.append(ShiftWindow.Vote(vector: vector, theme: vote, similarity: voteSimilarity))
        if window.pending.count > configuration.shiftWindowDocs { window.pending.removeFirst() }
        guard window.pending.count == configuration.shiftWindowDocs, !inCooldown, agree(window.pending) else {
            return (vote, nil, [])
        }
        let votes = window.pending
        if let theme = vote, let merged = mergeSplit(current: current, into: theme, votes: votes, seq: seq) {
            // One category split over two themes: fold them together instead of alerting.
            window = ShiftWindow(current: merged.keep, pending: [], sinceShift: window.sinceShift)
            return (merged.keep, nil, [merged.keep])
        }
        let target: Int
        let meanVote = votes.map(\.similarity).reduce(0, +) / Float(votes.count)
        if let theme = vote, let known = themes[theme],
           Double(meanVote) >= configuration.themeReturnRatio * Double(known.meanSimilarity) {
            target = theme
            for earlier in votes { addToTheme(theme, earlier.vector, similarity: earlier.similarity, seq: seq) }
        } else {
            target = openTheme(with: votes.map(\.vector), seq: seq)
        }
        var changed = [target]
        if let merged = mergeFragment(of: current) { changed.append(merged) }
        window = ShiftWindow(current: target, pending: [], sinceShift: 0)
        let similarity = Double(votes.map(\.similarity).reduce(0, +) / Float(votes.count))
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
            if best.map({ similarity > $0.similarity }) ?? true { best = (other.id, similarity) }
        }
        guard let best, Double(best.similarity) >= configuration.themeMergeSimilarity, var into = themes[best.id] else { return nil }
        // Keep the older id: alerts and outbox results already name it.
        let (keep, drop) = into.id < theme.id ? (into, theme) : (theme, into)
        into = keep
        into.centroid.add(drop.centroid)
        into.count += drop.count
        into.lastSeen = max(keep.lastSeen, drop.lastSeen)
        into.meanSimilarity = (keep.meanSimilarity + drop.meanSimilarity) / 2
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
        themes[keep.id] = merged
        themes[drop.id] = nil
        evictedThemes.append(drop.id)
        for earlier in votes {
            addToTheme(keep.id, earlier.vector, similarity: merged.centroid.cosine(earlier.vector), seq: seq)
        }
        return (keep.id, drop.id)
    }

    /// A known theme wins when it beats the current one and is close to its own members' typical
    /// similarity; the current theme holds while the document is not an outlier to it; else novel.
    private func vote(current: Int, currentSimilarity: Float, other: (id: Int, similarity: Float)?) -> Int? {
        let ratio = Float(configuration.themeOutlierRatio)
        let floor = Float(configuration.themeNovelty)
        if let other, other.similarity > currentSimilarity,
           let theme = themes[other.id],
           other.similarity >= max(floor, Float(configuration.themeVoteRatio) * theme.meanSimilarity) {
            return other.id
        }
        let typical = themes[current]?.meanSimilarity ?? 0
        return currentSimilarity >= max(floor, ratio * typical) ? current : nil
    }

    /// All votes for the same known theme, or all novel and similar to one another.
    private func agree(_ votes: [ShiftWindow.Vote]) -> Bool {
        guard let first = votes.first else { return false }
        if first.theme != nil { return votes.allSatisfy { $0.theme == first.theme } }
        guard votes.allSatisfy({ $0.theme == nil }) else { return false }
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
        let known = themes.values.map(\.meanSimilarity)
        let prior = known.isEmpty ? Float(configuration.themeInitialSimilarity) : known.reduce(0, +) / Float(known.count)
        themes[id] = Theme(id: id, centroid: centroid, count: vectors.count, lastSeen: seq, meanSimilarity: prior)
        if themes.count > configuration.maxThemes {
            let keep = window.current
            if let victim = themes.values.filter({ $0.id != id && $0.id != keep })
                .min(by: { $0.lastSeen != $1.lastSeen ? $0.lastSeen < $1.lastSeen : $0.id < $1.id }) {
                themes[victim.id] = nil
                evictedThemes.append(victim.id)
            }
        }
        return id
    }

    private mutating func addToTheme(_ id: Int, _ vector: TermVector, similarity: Float, seq: Int) {
        guard var theme = themes[id] else { return }
        theme.meanSimilarity += Float(configuration.themeSimilarityDecay) * (similarity - theme.meanSimilarity)
        theme.centroid.add(vector)
        theme.count += 1
        theme.lastSeen = seq
        themes[id] = theme
    }
}
