/// Recent documents' 64-bit simhash fingerprints, looked up in bounded time.
///
/// Charikar's simhash over word pairs of the normalised text: wire copies and re-sends differ in a
/// few words and land within a few bits. Four 16-bit bands index the fingerprints, so any pair
/// within 3 bits shares a band (pigeonhole); buckets are capped so the look-up cost stays flat.
struct NearDuplicateIndex: Sendable {
    struct Entry: Sendable, Equatable {
        var sequence: Int
        var fingerprint: UInt64
        var documentID: String
        var storyID: Int
    }

    private(set) var slots: [Entry?]
    private var bands: [[UInt16: [Int]]] = Array(repeating: [:], count: 4)
    let maxDistance: Int
    static let bucketCap = 32

    init(capacity: Int, maxDistance: Int) {
        slots = Array(repeating: nil, count: max(1, capacity))
        self.maxDistance = maxDistance
    }

    /// Simhash of the word pairs (single words for texts under three words).
    static func fingerprint(words: [String]) -> UInt64? {
        guard !words.isEmpty else { return nil }
        var counts = [Int](repeating: 0, count: 64)
        func add(_ h: UInt64) {
            for bit in 0..<64 { counts[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        if words.count < 3 {
            for word in words { add(FNV1a.hash(word.utf8)) }
        } else {
            for i in 0..<(words.count - 1) {
                add(FNV1a.hash(words[i + 1].utf8, seed: FNV1a.hash(words[i].utf8)))
            }
        }
        var result: UInt64 = 0
        for bit in 0..<64 where counts[bit] > 0 { result |= 1 << UInt64(bit) }
        return result
    }

    /// The most recent earlier document within the distance. Short texts must match exactly: a
    /// one-word change moves a short text's fingerprint by many bits either way.
    func find(_ fingerprint: UInt64, wordCount: Int) -> Entry? {
        let limit = wordCount < 20 ? 0 : maxDistance
        var best: Entry?
        for band in 0..<4 {
            let key = UInt16(truncatingIfNeeded: fingerprint >> UInt64(band * 16))
            for slot in bands[band][key] ?? [] {
                guard let entry = slots[slot] else { continue }
                let distance = (entry.fingerprint ^ fingerprint).nonzeroBitCount
                guard distance <= limit else { continue }
                if best.map({ entry.sequence > $0.sequence }) ?? true { best = entry }
            }
        }
        return best
    }

    mutating func insert(_ entry: Entry) {
        let slot = entry.sequence % slots.count
        if let old = slots[slot] { unlink(old.fingerprint, slot: slot) }
        slots[slot] = entry
        for band in 0..<4 {
            let key = UInt16(truncatingIfNeeded: entry.fingerprint >> UInt64(band * 16))
            var bucket = bands[band][key] ?? []
            bucket.append(slot)
            if bucket.count > Self.bucketCap { bucket.removeFirst(bucket.count - Self.bucketCap) }
            bands[band][key] = bucket
        }
    }

    /// The slot an entry occupies (its key in the store).
    func slot(of entry: Entry) -> Int { entry.sequence % slots.count }

    private mutating func unlink(_ fingerprint: UInt64, slot: Int) {
        for band in 0..<4 {
            let key = UInt16(truncatingIfNeeded: fingerprint >> UInt64(band * 16))
            bands[band][key]?.removeAll { $0 == slot }
            if bands[band][key]?.isEmpty == true { bands[band][key] = nil }
        }
    }
}
