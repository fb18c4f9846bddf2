/// The running sum of member vectors, truncated to its heaviest terms.
///
/// A story or theme centroid: comparing a document with the centroid rather than with single past
/// documents is what lets headlines with few shared words still find their story.
///
/// Kept as two arrays in ascending term id order, not a dictionary: a cosine is one merge with the
/// document's id order, an addition one merge, the norm one pass in id order, with no hashing and
/// no sort (both were most of the tracker's arrival-order time).
struct Centroid: Sendable, Equatable {
    /// Ascending.
    private(set) var ids: [Int32] = []
    /// `values[i]` is the summed weight of `ids[i]`.
    private(set) var values: [Float] = []
    private(set) var norm: Float = 0
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    init(limit: Int, weights: [Int32: Float]) {
        self.limit = max(1, limit)
        for (id, value) in weights.sorted(by: { $0.key < $1.key }) {
            ids.append(id)
            values.append(value)
        }
        recomputeNorm()
    }

    /// The weights by term id (persistence and tests; the tracker walks `ids` and `values`).
    var weights: [Int32: Float] { Dictionary(uniqueKeysWithValues: zip(ids, values)) }

    var count: Int { ids.count }

    /// The entries in term id order: a fixed order for sums over the whole centroid.
    var sortedEntries: Zip2Sequence<[Int32], [Float]> { zip(ids, values) }

    /// Cosine similarity with a unit-length vector.
    ///
    /// The products are summed in the vector's order (heaviest first), as when the centroid was a
    /// dictionary looked up term by term: a float sum in another order rounds differently, and
    /// similarities decide joins and shifts. A term the centroid lacks adds +0, which changes no sum.
    func cosine(_ vector: TermVector) -> Float {
        var products: [Float] = []
        return cosine(vector, products: &products)
    }

    /// The same with a buffer for the products, reused over a loop of comparisons.
    func cosine(_ vector: TermVector, products buffer: inout [Float]) -> Float {
        guard norm > 0, !vector.isEmpty else { return 0 }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: repeatElement(0, count: vector.count))
        return buffer.withUnsafeMutableBufferPointer { products in
            var sum: Float = 0
            vector.ids.withUnsafeBufferPointer { vectorIDs in
                vector.weights.withUnsafeBufferPointer { vectorWeights in
                    ids.withUnsafeBufferPointer { ids in
                        values.withUnsafeBufferPointer { values in
                            var i = 0
                            for position in vector.byID {
                                let slot = Int(position)
                                let id = vectorIDs[slot]
                                while i < ids.count, ids[i] < id { i += 1 }
                                if i == ids.count { break }
                                if ids[i] == id { products[slot] = vectorWeights[slot] * values[i] }
                            }
                        }
                    }
                }
            }
            for product in products { sum += product }
            return sum / norm
        }
    }

    /// Cosine similarity with another centroid.
    func cosine(_ other: Centroid) -> Float {
        guard norm > 0, other.norm > 0 else { return 0 }
        let (small, large) = ids.count <= other.ids.count ? (self, other) : (other, self)
        var sum: Float = 0
        // In term id order (the smaller centroid's), as always: a sum in another order rounds differently.
        var j = 0
        for (i, id) in small.ids.enumerated() {
            while j < large.ids.count, large.ids[j] < id { j += 1 }
            if j == large.ids.count { break }
            if large.ids[j] == id { sum += small.values[i] * large.values[j] }
        }
        return sum / (norm * other.norm)
    }

    mutating func add(_ vector: TermVector, scale: Float = 1) {
        merge(vector, scale: scale)
        // Truncate with slack so the selection runs once every few additions, not on every one.
        truncateIfFull()
    }

    /// Adds several scaled vectors, truncating and summing the norm once at the end rather than
    /// after each one (rebuilding a theme from its runs).
    mutating func add(contentsOf vectors: [(vector: TermVector, scale: Float)]) {
        for (vector, scale) in vectors { merge(vector, scale: scale) }
        truncateIfFull()
    }

    /// Adds another centroid's sums (merging two clusters).
    mutating func add(_ other: Centroid) {
        SortedSums.add(into: &ids, &values, count: other.ids.count) { (other.ids[$0], other.values[$0]) }
        truncateIfFull()
    }

    /// Each of the vector's terms' weight times `scale` added to its sum (one merge in id order).
    private mutating func merge(_ vector: TermVector, scale: Float) {
        SortedSums.add(into: &ids, &values, count: vector.byID.count) { index in
            let slot = Int(vector.byID[index])
            return (vector.ids[slot], vector.weights[slot] * scale)
        }
    }

    /// The heaviest terms, heaviest first (ties: lower id first).
    func top(_ count: Int) -> [Int32] {
        guard count > 0 else { return [] }
        // Insertion into a short ranked list: most entries are lighter than its last and cost one comparison.
        var ranked: [WeightedTerm] = []
        ranked.reserveCapacity(min(count, ids.count) + 1)
        for (id, value) in zip(ids, values) {
            let term = WeightedTerm(id: id, weight: value)
            if ranked.count == count, let last = ranked.last, !WeightedTerm.heavier(term, last) { continue }
            var at = ranked.count
            while at > 0, WeightedTerm.heavier(term, ranked[at - 1]) { at -= 1 }
            ranked.insert(term, at: at)
            if ranked.count > count { ranked.removeLast() }
        }
        return ranked.map(\.id)
    }

    /// Truncates when over the slack and recomputes the norm. The norm is always summed in term id
    /// order: a float sum in another order rounds differently (dictionary order once made
    /// similarities differ in the 4th decimal between two runs of the same input), and a restored
    /// centroid sums in id order, so a restart must not change a single similarity.
    private mutating func truncateIfFull() {
        if ids.count > limit + limit / 2 {
            var ranked = zip(ids, values).map { WeightedTerm(id: $0.0, weight: $0.1) }
            let cut = Self.nthHeaviest(&ranked, limit - 1)
            var keptIDs: [Int32] = []
            var keptValues: [Float] = []
            keptIDs.reserveCapacity(limit)
            keptValues.reserveCapacity(limit)
            for (id, value) in zip(ids, values) where !WeightedTerm.heavier(cut, WeightedTerm(id: id, weight: value)) {
                keptIDs.append(id)
                keptValues.append(value)
            }
            ids = keptIDs
            values = keptValues
        }
        recomputeNorm()
    }

    /// The term of rank `n` (0: the heaviest) by `WeightedTerm.heavier`: quickselect, reordering
    /// `terms`. The order is total, so the terms ranked at or above it are those a full sort keeps.
    static func nthHeaviest(_ terms: inout [WeightedTerm], _ n: Int) -> WeightedTerm {
        var low = 0
        var high = terms.count - 1
        while low < high {
            // Median of three as the pivot, moved to `high`.
            let middle = low + (high - low) / 2
            if WeightedTerm.heavier(terms[middle], terms[low]) { terms.swapAt(middle, low) }
            if WeightedTerm.heavier(terms[high], terms[low]) { terms.swapAt(high, low) }
            if WeightedTerm.heavier(terms[middle], terms[high]) { terms.swapAt(middle, high) }
            let pivot = terms[high]
            var store = low
            for index in low..<high where WeightedTerm.heavier(terms[index], pivot) {
                terms.swapAt(index, store)
                store += 1
            }
            terms.swapAt(store, high)
            if store == n { return terms[n] }
            if store < n { low = store + 1 } else { high = store - 1 }
        }
        return terms[n]
    }

    /// Sums in term id order (see `truncateIfFull`).
    private mutating func recomputeNorm() {
        var sum: Float = 0
        for value in values { sum += value * value }
        norm = sum.squareRoot()
    }
}
