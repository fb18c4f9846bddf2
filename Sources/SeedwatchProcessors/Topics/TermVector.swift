/// A sparse, L2-normalised document vector: the top weighted terms only.
///
/// Bounding the terms per document bounds the work per document (index look-ups, centroid
/// updates) whatever the document's length.
struct TermVector: Sendable, Equatable {
    var ids: [Int32] = []
    var weights: [Float] = []

    var isEmpty: Bool { ids.isEmpty }

    /// Keeps the `limit` heaviest terms and scales to unit length.
    init(weights raw: [Int32: Float], limit: Int) {
        var pairs = raw.filter { $0.value > 0 }.map { ($0.key, $0.value) }
        pairs.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        if pairs.count > limit { pairs.removeLast(pairs.count - limit) }
        let norm = pairs.reduce(Float(0)) { $0 + $1.1 * $1.1 }.squareRoot()
        guard norm > 0 else { return }
        ids = pairs.map(\.0)
        weights = pairs.map { $0.1 / norm }
    }

    init(ids: [Int32], weights: [Float]) {
        self.ids = ids
        self.weights = weights
    }

    func dot(_ other: TermVector) -> Float {
        var lookup: [Int32: Float] = [:]
        for (id, w) in zip(other.ids, other.weights) { lookup[id] = w }
        var sum: Float = 0
        for (id, w) in zip(ids, weights) { sum += w * (lookup[id] ?? 0) }
        return sum
    }
}

/// The running sum of member vectors, truncated to its heaviest terms.
///
/// A story or theme centroid: comparing a document with the centroid rather than with single past
/// documents is what lets headlines with few shared words still find their story.
struct Centroid: Sendable, Equatable {
    private(set) var weights: [Int32: Float] = [:]
    private(set) var norm: Float = 0
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    init(limit: Int, weights: [Int32: Float]) {
        self.limit = max(1, limit)
        self.weights = weights
        recomputeNorm()
    }

    /// Cosine similarity with a unit-length vector.
    func cosine(_ vector: TermVector) -> Float {
        guard norm > 0 else { return 0 }
        var sum: Float = 0
        for (id, w) in zip(vector.ids, vector.weights) {
            if let c = weights[id] { sum += w * c }
        }
        return sum / norm
    }

    /// Cosine similarity with another centroid.
    func cosine(_ other: Centroid) -> Float {
        guard norm > 0, other.norm > 0 else { return 0 }
        let (small, large) = weights.count <= other.weights.count ? (self, other) : (other, self)
        var sum: Float = 0
        // In term id order: dictionary order changes with the per-process hash seed, and so would
        // the rounding of the sum.
        for (id, w) in small.sortedEntries {
            if let c = large.weights[id] { sum += w * c }
        }
        return sum / (norm * other.norm)
    }

    /// The weights in term id order: a fixed order for sums over the whole centroid.
    var sortedEntries: [(key: Int32, value: Float)] {
        weights.sorted { $0.key < $1.key }
    }

    mutating func add(_ vector: TermVector, scale: Float = 1) {
        for (id, w) in zip(vector.ids, vector.weights) { weights[id, default: 0] += w * scale }
        // Truncate with slack so the sort runs once every few additions, not on every one.
        truncateIfFull()
    }

    /// Adds several scaled vectors, truncating and summing the norm once at the end rather than
    /// after each one (rebuilding a theme from its runs).
    mutating func add(contentsOf vectors: [(vector: TermVector, scale: Float)]) {
        for (vector, scale) in vectors {
            for (id, w) in zip(vector.ids, vector.weights) { weights[id, default: 0] += w * scale }
        }
        truncateIfFull()
    }

    /// Adds another centroid's sums (merging two clusters).
    mutating func add(_ other: Centroid) {
        for (id, w) in other.weights { weights[id, default: 0] += w }
        truncateIfFull()
    }

    /// The heaviest terms, heaviest first.
    func top(_ count: Int) -> [Int32] {
        weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count).map(\.key)
    }

    /// Truncates when over the slack and recomputes the norm. The norm is always summed in term id
    /// order, never in dictionary order: that order depends on the per-process hash seed, and a
    /// float sum in another order rounds differently, which showed in the 4th decimal of
    /// similarities between two runs of the same input. Nor heaviest first after a truncation: a
    /// restored centroid sums in id order, and a restart must not change a single similarity.
    private mutating func truncateIfFull() {
        if weights.count > limit + limit / 2 {
            let kept = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
            weights = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
        recomputeNorm()
    }

    /// Sums in term id order (see `truncateIfFull`).
    private mutating func recomputeNorm() {
        norm = sortedEntries.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
    }
}
