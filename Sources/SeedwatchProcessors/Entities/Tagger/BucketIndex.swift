/// Which hash buckets have a weight row, and which row: a bitmap with a running count per word.
///
/// Rows are stored in bucket order, so a bucket's row is the number of set bits before it. With
/// 2^20 buckets this takes 192 KiB (one bit per bucket, one `UInt32` count per 64 buckets) where
/// an `Int32` per bucket took 4 MiB, and it stays in the L2 cache while a sentence is scored.
struct BucketIndex: Sendable {
    /// Bit `b % 64` of word `b / 64` is set when bucket `b` has a row.
    private var bits: [UInt64]
    /// `ranks[w]` is the number of rows of the buckets before word `w`.
    private var ranks: [UInt32]
    private(set) var rowCount: Int

    /// The last bucket given a row, and how many words' counts are filled in.
    private var lastBucket = -1
    private var countedWords = 0

    /// An index of `bucketCount` buckets, none with a row yet.
    init(bucketCount: Int) {
        let words = (bucketCount + 63) / 64
        bits = [UInt64](repeating: 0, count: words)
        ranks = [UInt32](repeating: 0, count: words)
        rowCount = 0
    }

    var bucketCount: Int { bits.count * 64 }

    /// Gives `bucket` the next row. False (and nothing changes) unless `bucket` is in range and
    /// after every bucket appended so far: rows are numbered in bucket order.
    mutating func append(_ bucket: Int) -> Bool {
        guard bucket > lastBucket, bucket < bucketCount else { return false }
        let word = bucket >> 6
        // The words reached since the last row start after all rows so far. Words after the last
        // row never need a count: their bits are all clear.
        while countedWords <= word {
            ranks[countedWords] = UInt32(rowCount)
            countedWords += 1
        }
        bits[word] |= 1 << UInt64(bucket & 63)
        rowCount += 1
        lastBucket = bucket
        return true
    }

    /// The row of `bucket`, or nil when its weights are all zero.
    func row(of bucket: Int) -> Int? {
        let word = bits[bucket >> 6]
        let bit: UInt64 = 1 << UInt64(bucket & 63)
        guard word & bit != 0 else { return nil }
        return Int(ranks[bucket >> 6]) + (word & (bit &- 1)).nonzeroBitCount
    }

    /// The buckets that have a row, in row order.
    var bucketsWithRows: [Int] {
        var out: [Int] = []
        out.reserveCapacity(rowCount)
        for (w, word) in bits.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                out.append(w * 64 + rest.trailingZeroBitCount)
                rest &= rest &- 1
            }
        }
        return out
    }
}
