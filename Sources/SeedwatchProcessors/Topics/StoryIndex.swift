/// A story: documents about one event, with their centroid.
struct Story: Sendable, Equatable {
    var id: Int
    var centroid: Centroid
    var count: Int
    /// Sequence number of the document that opened it, and of the latest member.
    var created: Int
    var lastSeen: Int
    /// How its label candidates were written in its documents.
    var labelForms = LabelForms()
}

/// Recent stories and an inverted index from terms to the stories whose centroids hold them.
///
/// Only the most recently updated stories of each term are candidates, and stories beyond
/// `maxStories` are forgotten, so finding candidates costs O(terms × cap) per document however long
/// the stream has run (the bounded-bucket idea of Petrović et al. 2010, on an inverted index).
///
/// The index is a function of the stories alone: a term lists every story whose index terms (its
/// heaviest centroid terms) hold it now, in the order they were last updated. A story restored
/// from the store is therefore indexed exactly as it was before a restart, and a restarted tracker
/// finds the same candidates as one that kept running. (Capped lists that kept the terms a story
/// once had did not: their content depended on the order of past updates, which is not stored.)
struct StoryIndex: Sendable {
    private(set) var stories: [Int: Story] = [:]
    /// Story ids per term, oldest update first: by `lastSeen`, then id.
    private var postings: [Int32: [Int]] = [:]
    /// The terms each story is listed under, so an update can take it off the ones it left.
    private var indexed: [Int: [Int32]] = [:]
    let postingsCap: Int
    let maxStories: Int
    /// Index terms per story: its heaviest centroid terms.
    let indexTerms = 20
    /// Stories removed since the last persistence pass (their keys must be deleted).
    private(set) var evicted: [Int] = []

    init(postingsCap: Int, maxStories: Int) {
        self.postingsCap = max(1, postingsCap)
        self.maxStories = max(1, maxStories)
    }

    /// The story with the highest cosine, among the `postingsCap` most recently updated ones of
    /// each of the vector's first terms.
    func nearest(_ vector: TermVector, candidateTerms: Int) -> (story: Story, similarity: Float)? {
        var seen = Set<Int>()
        var best: (Story, Float)?
        var products: [Float] = []
        // The vector is sorted heaviest first: its most distinctive terms find the candidates.
        for id in vector.ids.prefix(candidateTerms) {
            for storyID in (postings[id] ?? []).suffix(postingsCap) where seen.insert(storyID).inserted {
                guard let story = stories[storyID] else { continue }
                let similarity = story.centroid.cosine(vector, products: &products)
                if best.map({ similarity > $0.1 || (similarity == $0.1 && story.id < $0.0.id) }) ?? true {
                    best = (story, similarity)
                }
            }
        }
        return best.map { (story: $0.0, similarity: $0.1) }
    }

    /// Adds or replaces a story and refreshes its postings.
    mutating func update(_ story: Story) {
        unlist(story.id)
        stories[story.id] = story
        let terms = story.centroid.top(indexTerms)
        let key = (story.lastSeen, story.id)
        for term in terms {
            let at = insertionPoint(for: key, under: term)
            // In place: a list copied out and stored back would be copied whole (lists are not capped).
            postings[term, default: []].insert(story.id, at: at)
        }
        indexed[story.id] = terms
        if stories.count > maxStories + max(1, maxStories / 10) { evictOldest() }
    }

    /// Where a story updated with `key` goes in `term`'s list: nearly always last, so the search
    /// from the end stops at once.
    private func insertionPoint(for key: (Int, Int), under term: Int32) -> Int {
        guard let list = postings[term] else { return 0 }
        var at = list.count
        while at > 0, let other = stories[list[at - 1]], (other.lastSeen, other.id) > key { at -= 1 }
        return at
    }

    private mutating func unlist(_ id: Int) {
        for term in indexed.removeValue(forKey: id) ?? [] {
            guard let at = postings[term]?.lastIndex(of: id) else { continue }
            postings[term]?.remove(at: at)
            if postings[term]?.isEmpty == true { postings[term] = nil }
        }
    }

    mutating func takeEvicted() -> [Int] {
        defer { evicted.removeAll() }
        return evicted
    }

    /// Drops the least recently active tenth in one pass, so eviction is amortised O(log n).
    private mutating func evictOldest() {
        let excess = stories.count - maxStories
        let victims = stories.values.sorted { $0.lastSeen != $1.lastSeen ? $0.lastSeen < $1.lastSeen : $0.id < $1.id }.prefix(excess)
        for story in victims {
            unlist(story.id)
            stories[story.id] = nil
            evicted.append(story.id)
        }
    }
}

/// A coarse theme (category-like) for the shift window: a long-lived centroid of many stories.
struct Theme: Sendable, Equatable {
    var id: Int
    var centroid: Centroid
    var count: Int
    var lastSeen: Int
    /// Moving average of members' cosine with the centroid when they joined: how tight the theme is.
    var meanSimilarity: Float
    /// Recent members summarised in runs of consecutive members, oldest first (bounded): what the
    /// split test clusters.
    var runs: [ThemeRun] = []
    /// Cosines between the runs (row-major, runs.count²), kept as runs come and go so the split
    /// test needs no vector arithmetic; derived state, rebuilt on load.
    var runGram: [Float] = []
    /// The sums of the run being filled (no norm or truncation until it closes).
    var openRun = RunSums()
    var openRunCount = 0
    /// A split of this theme was undone (its halves flip-flopped): it keeps no runs and never splits again.
    var splitBlocked = false
}

/// The centroid of a few consecutive members of a theme: single documents of two categories
/// overlap too much to be told apart by 2-means, a block's run centroids do not.
struct ThemeRun: Sendable, Equatable {
    /// Unit length; `scale` times it approximates the sum of the members' vectors.
    var vector: TermVector
    var scale: Float
    var count: Int
    /// Sequence number when the run closed (orders runs when two themes merge).
    var end: Int
}
