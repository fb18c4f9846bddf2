/// The summed vectors of a theme's open run (`Theme.openRun`): per term, the sum of its weights
/// over the run's members so far, with no truncation or norm until the run closes.
///
/// Two arrays in ascending term id order, not a dictionary: adding a member is one merge, with no
/// hashing and no copy of a shared table (a run of 6 members holds up to a few thousand terms).
struct RunSums: Sendable, Equatable {
    /// Ascending.
    private(set) var ids: [Int32] = []
    /// `values[i]` is the summed weight of `ids[i]`.
    private(set) var values: [Float] = []

    init() {}

    init(_ sums: [Int32: Float]) {
        for (id, value) in sums.sorted(by: { $0.key < $1.key }) {
            ids.append(id)
            values.append(value)
        }
    }

    var isEmpty: Bool { ids.isEmpty }

    /// The sums in term id order.
    var sortedEntries: Zip2Sequence<[Int32], [Float]> { zip(ids, values) }

    /// Adds each of the vector's weights to its term's sum.
    mutating func add(_ vector: TermVector) {
        SortedSums.add(into: &ids, &values, count: vector.byID.count) { index in
            let slot = Int(vector.byID[index])
            return (vector.ids[slot], vector.weights[slot])
        }
    }

    /// The length of the summed vector (squares summed in term id order, a fixed order).
    var length: Float {
        var sum: Float = 0
        for value in values { sum += value * value }
        return sum.squareRoot()
    }

    /// The `limit` heaviest sums as a unit vector.
    func vector(limit: Int) -> TermVector {
        var terms: [WeightedTerm] = []
        terms.reserveCapacity(ids.count)
        for (id, value) in zip(ids, values) where value > 0 { terms.append(WeightedTerm(id: id, weight: value)) }
        terms.sort(by: WeightedTerm.heavier)
        return TermVector(heaviestFirst: terms.prefix(limit))
    }
}
