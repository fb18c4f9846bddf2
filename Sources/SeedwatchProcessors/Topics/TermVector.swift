/// A sparse, L2-normalised document vector: the top weighted terms only.
///
/// Bounding the terms per document bounds the work per document (index look-ups, centroid
/// updates) whatever the document's length.
struct TermVector: Sendable, Equatable {
    /// Heaviest first (ties: lower id first).
    private(set) var ids: [Int32] = []
    private(set) var weights: [Float] = []
    /// Positions into `ids`, in ascending id order: what a centroid (kept in id order) is walked
    /// against, so a cosine is one merge rather than a hash look-up per term.
    private(set) var byID: [Int32] = []

    var isEmpty: Bool { ids.isEmpty }
    var count: Int { ids.count }

    /// Keeps the `limit` heaviest terms and scales to unit length.
    init(weights raw: [Int32: Float], limit: Int) {
        var pairs = raw.filter { $0.value > 0 }.map { WeightedTerm(id: $0.key, weight: $0.value) }
        pairs.sort(by: WeightedTerm.heavier)
        self.init(heaviestFirst: pairs.prefix(limit))
    }

    /// The same from terms already sorted by `WeightedTerm.heavier` (all weights above zero).
    init(heaviestFirst pairs: ArraySlice<WeightedTerm>) {
        self.init(heaviestFirst: pairs, byID: nil)
    }

    /// The first `count` terms of `longer`'s, weighed from the same sorted `pairs` (`longer` was
    /// made from a longer prefix of them): its id order is `longer`'s without the later positions,
    /// so it needs no sort of its own.
    init(heaviestFirst pairs: ArraySlice<WeightedTerm>, within longer: TermVector) {
        let byID = pairs.count <= longer.count ? longer.byID.filter { Int($0) < pairs.count } : nil
        self.init(heaviestFirst: pairs, byID: byID)
    }

    private init(heaviestFirst pairs: ArraySlice<WeightedTerm>, byID: [Int32]?) {
        let norm = pairs.reduce(Float(0)) { $0 + $1.weight * $1.weight }.squareRoot()
        guard norm > 0 else { return }
        ids = pairs.map(\.id)
        weights = pairs.map { $0.weight / norm }
        self.byID = byID ?? Self.order(ids)
    }

    init(ids: [Int32], weights: [Float]) {
        self.ids = ids
        self.weights = weights
        byID = Self.order(ids)
    }

    /// Positions by ascending id: (id, position) packed in one integer (ids are not negative), so
    /// the sort compares plain integers.
    private static func order(_ ids: [Int32]) -> [Int32] {
        var keys = ids.enumerated().map { UInt64(UInt32(bitPattern: $0.element)) << 32 | UInt64($0.offset) }
        keys.sort()
        return keys.map { Int32(truncatingIfNeeded: $0) }
    }

    /// Summed in this vector's order, a term the other lacks adding `w * 0`, as when the other was
    /// looked up in a dictionary term by term; the products are found by one merge in id order.
    func dot(_ other: TermVector) -> Float {
        guard !isEmpty else { return 0 }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { products in
            for (slot, w) in weights.enumerated() { products[slot] = w * 0 }
            var j = 0
            for position in byID {
                let slot = Int(position)
                let id = ids[slot]
                while j < other.byID.count, other.ids[Int(other.byID[j])] < id { j += 1 }
                if j == other.byID.count { break }
                let match = Int(other.byID[j])
                if other.ids[match] == id { products[slot] = weights[slot] * other.weights[match] }
            }
            var sum: Float = 0
            for product in products { sum += product }
            return sum
        }
    }
}

/// A term and its weight, ordered heaviest first with ties to the lower id: a total order, so
/// any selection by it keeps the same terms however it is computed.
struct WeightedTerm: Sendable {
    var id: Int32
    var weight: Float

    static func heavier(_ a: WeightedTerm, _ b: WeightedTerm) -> Bool {
        a.weight != b.weight ? a.weight > b.weight : a.id < b.id
    }
}
