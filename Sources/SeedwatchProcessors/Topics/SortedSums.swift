/// Sums kept as two parallel arrays in ascending term id order (`Centroid`, `RunSums`): adding
/// terms that also come in id order is one merge pass, with no hashing.
enum SortedSums {
    /// Adds `count` entries, given in ascending id order by `entry(0..<count)`: a term already
    /// there gets the value added to its sum, a new one is inserted in its place.
    @inline(__always)
    static func add(into ids: inout [Int32], _ values: inout [Float], count: Int, entry: (Int) -> (id: Int32, value: Float)) {
        var mergedIDs: [Int32] = []
        var mergedValues: [Float] = []
        mergedIDs.reserveCapacity(ids.count + count)
        mergedValues.reserveCapacity(ids.count + count)
        var i = 0
        for index in 0..<count {
            let (id, value) = entry(index)
            while i < ids.count, ids[i] < id {
                mergedIDs.append(ids[i])
                mergedValues.append(values[i])
                i += 1
            }
            mergedIDs.append(id)
            if i < ids.count, ids[i] == id {
                mergedValues.append(values[i] + value)
                i += 1
            } else {
                mergedValues.append(value)
            }
        }
        mergedIDs += ids[i...]
        mergedValues += values[i...]
        ids = mergedIDs
        values = mergedValues
    }
}
