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
        var best: (id: Int, similarity: Float)?
        for theme in themes.values {
            let similarity = theme.centroid.cosine(vector)
            if best.map({ similarity > $0.similarity || (similarity == $0.similarity && theme.id < $0.id) }) ?? true {
                best = (theme.id, similarity)
            }
        }
        let vote: Int? = best.flatMap { $0.similarity >= Float(configuration.themeNovelty) ? $0.id : nil }
        if vote == current {
            // The outliers before this document were noise: credit them to the themes they chose.
            var changed = [current]
            for earlier in window.pending {
                if let theme = earlier.theme { addToTheme(theme, earlier.vector, seq: seq); changed.append(theme) }
            }
            window.pending.removeAll()
            addToTheme(current, vector, seq: seq)
            return (current, nil, changed)
        }
        window.pending.append(ShiftWindow.Vote(vector: vector, theme: vote, similarity: best?.similarity ?? 0))
        if window.pending.count > configuration.shiftWindowDocs { window.pending.removeFirst() }
        guard window.pending.count == configuration.shiftWindowDocs,
              window.sinceShift > configuration.shiftCooldownDocs,
              agree(window.pending)
        else {
            return (vote, nil, [])
        }
        let votes = window.pending
        let target: Int
        if let theme = vote {
            target = theme
            for earlier in votes { addToTheme(theme, earlier.vector, seq: seq) }
        } else {
            target = openTheme(with: votes.map(\.vector), seq: seq)
        }
        window = ShiftWindow(current: target, pending: [], sinceShift: 0)
        let similarity = Double(votes.map(\.similarity).reduce(0, +) / Float(votes.count))
        let label = themes[target].map { self.label($0.centroid) } ?? ""
        let alert = TopicAlert(
            alertClass: .topicShift, topicID: Self.themeName(target), topicLabel: label,
            previousTopicID: Self.themeName(current), similarity: similarity.rounded4,
            documentID: observation.id, documentPath: observation.path
        )
        return (target, alert, [target])
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
        themes[id] = Theme(id: id, centroid: centroid, count: vectors.count, lastSeen: seq)
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

    private mutating func addToTheme(_ id: Int, _ vector: TermVector, seq: Int) {
        guard var theme = themes[id] else { return }
        theme.centroid.add(vector)
        theme.count += 1
        theme.lastSeen = seq
        themes[id] = theme
    }
}
