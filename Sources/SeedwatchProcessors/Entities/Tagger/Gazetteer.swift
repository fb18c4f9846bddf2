/// Entity names by type, matched over a sentence as lower-cased token sequences.
///
/// Built from the training data itself (nothing downloaded). The match is a feature, not a
/// decision: the tagger learns how far to trust it.
struct Gazetteer: Sendable {
    /// Hash of the lower-cased token sequence → bit mask of entity types; 0 for the beginnings of
    /// longer names, so a match stops at the first word sequence that begins no name.
    var entries: [UInt64: UInt8]
    var maxLength: Int
    /// Whether the beginnings of names are stored (models written before they were are matched
    /// at every length).
    private var prefixesStored: Bool

    /// Names from outside the training data (`train-ner --gazetteer`) set bit `externalBit + type`.
    static let externalBit = 4

    init(entries: [UInt64: UInt8] = [:], maxLength: Int = 6) {
        self.entries = entries
        self.maxLength = maxLength
        prefixesStored = entries.values.contains(0)
    }

    static func key(_ lowerHashes: some Sequence<UInt64>) -> UInt64 {
        var h: UInt64 = 0x6761_7a65_7474_6565
        for value in lowerHashes { h = FeatureHash.combine(h, value) }
        return h
    }

    mutating func insert(lowerHashes: [UInt64], typeIndex: Int) {
        guard !lowerHashes.isEmpty, lowerHashes.count <= maxLength, typeIndex < 8 else { return }
        entries[Self.key(lowerHashes), default: 0] |= UInt8(1 << typeIndex)
        prefixesStored = true
        for length in 1..<lowerHashes.count where entries[Self.key(lowerHashes[..<length])] == nil {
            entries[Self.key(lowerHashes[..<length])] = 0
        }
    }

    /// Names (not counting the stored beginnings of longer names).
    var nameCount: Int { entries.values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }

    /// For each token a bit set: bit `type * 4 + position` (0 begin, 1 inside, 2 last, 3 unit).
    /// The longest match from each start counts; a match needs a capitalised token.
    func match(_ traits: [TokenTraits]) -> [UInt32] {
        var marks = [UInt32](repeating: 0, count: traits.count)
        guard !entries.isEmpty else { return marks }
        for start in traits.indices {
            var h: UInt64 = 0x6761_7a65_7474_6565
            var capitalised = false
            var best: (length: Int, mask: UInt8)?
            let limit = min(maxLength, traits.count - start)
            for length in 0..<limit {
                let t = traits[start + length]
                if t.flags.contains(.punctuation) && length == 0 { break }
                h = FeatureHash.combine(h, t.lower)
                if t.flags.contains(.initialUpper) { capitalised = true }
                guard let mask = entries[h] else {
                    if prefixesStored { break } else { continue }
                }
                if capitalised, mask != 0 { best = (length + 1, mask) }
            }
            guard let best else { continue }
            for type in 0..<8 where best.mask & UInt8(1 << type) != 0 {
                if best.length == 1 {
                    marks[start] |= 1 << UInt32(type * 4 + 3)
                } else {
                    marks[start] |= 1 << UInt32(type * 4)
                    for i in (start + 1)..<(start + best.length - 1) { marks[i] |= 1 << UInt32(type * 4 + 1) }
                    marks[start + best.length - 1] |= 1 << UInt32(type * 4 + 2)
                }
            }
        }
        return marks
    }
}
