/// Recent documents' MinHash signatures, looked up in bounded time.
///
/// MinHash over word pairs of the normalised text estimates the Jaccard overlap of two texts; wire
/// copies and re-sends differ in a few words and keep an overlap near 0.9. (A 64-bit simhash was
/// tried first: five changed words in 80 moved it 11 bits, too close to noise.) The 32 values are
/// banded 8 × 4 for look-up (a pair at overlap 0.8 shares a band with probability 0.998), buckets
/// are capped, so the look-up cost stays flat however long the stream.
struct NearDuplicateIndex: Sendable {
    struct Entry: Sendable, Equatable {
        var sequence: Int
        var signature: [UInt32]
        var documentID: String
        var storyID: Int
    }

    static let hashes = 32
    static let bands = 8
    static let rows = hashes / bands
    static let bucketCap = 32

    private(set) var slots: [Entry?]
    private var buckets: [[UInt64: [Int]]] = Array(repeating: [:], count: bands)
    let minimumSimilarity: Double

    init(capacity: Int, minimumSimilarity: Double) {
        slots = Array(repeating: nil, count: max(1, capacity))
        self.minimumSimilarity = minimumSimilarity
    }

    /// The signature of the word pairs (single words for texts under three words).
    static func signature(words: [String]) -> [UInt32]? {
        guard !words.isEmpty else { return nil }
        var signature = [UInt32](repeating: .max, count: hashes)
        func add(_ h: UInt64) {
            // One 64-bit hash per shingle, spread into 32 by multiply-xorshift with fixed odd keys.
            var x = h
            for i in 0..<hashes {
                x = (x ^ (x >> 29)) &* 0xBF58_476D_1CE4_E5B9 &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15
                let value = UInt32(truncatingIfNeeded: x >> 32)
                if value < signature[i] { signature[i] = value }
            }
        }
        if words.count < 3 {
            for word in words { add(FNV1a.hash(word.utf8)) }
        } else {
            for i in 0..<(words.count - 1) {
                add(FNV1a.hash(words[i + 1].utf8, seed: FNV1a.hash(words[i].utf8)))
            }
        }
        return signature
    }

    /// Share of equal signature values: an estimate of the Jaccard overlap.
    static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        return Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }

    /// The most recent earlier document at or above the overlap. Short texts must match exactly:
    /// one changed word is a large share of a headline.
    func find(_ signature: [UInt32], wordCount: Int) -> Entry? {
        let limit = wordCount < 20 ? 1.0 : minimumSimilarity
        var best: Entry?
        for band in 0..<Self.bands {
            for slot in buckets[band][Self.key(signature, band: band)] ?? [] {
                guard let entry = slots[slot], Self.similarity(entry.signature, signature) >= limit else { continue }
                if best.map({ entry.sequence > $0.sequence }) ?? true { best = entry }
            }
        }
        return best
    }

    mutating func insert(_ entry: Entry) {
        guard entry.signature.count == Self.hashes else { return }
        let slot = entry.sequence % slots.count
        if let old = slots[slot] { unlink(old.signature, slot: slot) }
        slots[slot] = entry
        for band in 0..<Self.bands {
            let key = Self.key(entry.signature, band: band)
            var bucket = buckets[band][key] ?? []
            bucket.append(slot)
            if bucket.count > Self.bucketCap { bucket.removeFirst(bucket.count - Self.bucketCap) }
            buckets[band][key] = bucket
        }
    }

    /// The slot an entry occupies (its key in the store).
    func slot(of entry: Entry) -> Int { entry.sequence % slots.count }

    private static func key(_ signature: [UInt32], band: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in signature[(band * rows)..<((band + 1) * rows)] {
            h = (h ^ UInt64(value)) &* 0x0000_0100_0000_01b3
        }
        return h
    }

    private mutating func unlink(_ signature: [UInt32], slot: Int) {
        for band in 0..<Self.bands {
            let key = Self.key(signature, band: band)
            buckets[band][key]?.removeAll { $0 == slot }
            if buckets[band][key]?.isEmpty == true { buckets[band][key] = nil }
        }
    }
}
