/// Unicode NFC (canonical decomposition, canonical ordering, canonical composition; UAX #15) from
/// `CompositionTable` and the standard library's canonical combining classes, so that no
/// underscored standard library entry point and no Foundation (ICU) is needed.
enum CanonicalComposition {
    /// `text` in Normalization Form C.
    static func nfc(_ text: String) -> String {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(text.utf8.count)
        var barrier = 0
        for scalar in text.unicodeScalars {
            // As the standard library's NFC does (and the output must stay the same): reordering
            // never moves a mark before an input scalar of class 0, even one that decomposes to
            // marks only (Tibetan U+0F73, U+0F75, U+0F81).
            if scalar.properties.canonicalCombiningClass.rawValue == 0 { barrier = scalars.endIndex }
            appendDecomposed(scalar.value, to: &scalars, after: barrier)
        }
        compose(&scalars)
        var out = String.UnicodeScalarView()
        for value in scalars {
            if let scalar = Unicode.Scalar(value) { out.append(scalar) }
        }
        return String(out)
    }

    private static let hangulFirst: UInt32 = 0xAC00
    private static let leadingFirst: UInt32 = 0x1100
    private static let vowelFirst: UInt32 = 0x1161
    private static let trailingBase: UInt32 = 0x11A7  // one before the first trailing consonant
    private static let vowelCount: UInt32 = 21
    private static let trailingCount: UInt32 = 28
    private static let leadingCount: UInt32 = 19
    private static let syllableCount: UInt32 = 11172

    /// Scalar → the range of `CompositionTable.scalars` it decomposes to.
    private static let decompositions: [UInt32: Range<Int>] = {
        var map: [UInt32: Range<Int>] = [:]
        map.reserveCapacity(CompositionTable.decomposable.count)
        var start = 0
        for (index, key) in CompositionTable.decomposable.enumerated() {
            let end = Int(CompositionTable.ends[index])
            map[key] = start..<end
            start = end
        }
        return map
    }()

    /// (first << 32 | second) → the primary composite.
    private static let compositions: [UInt64: UInt32] = {
        var map: [UInt64: UInt32] = [:]
        map.reserveCapacity(CompositionTable.composites.count)
        for index in CompositionTable.composites.indices {
            map[UInt64(CompositionTable.first[index]) << 32 | UInt64(CompositionTable.second[index])] = CompositionTable.composites[index]
        }
        return map
    }()

    private static func combiningClass(_ value: UInt32) -> UInt8 {
        guard value >= 0x300, let scalar = Unicode.Scalar(value) else { return 0 }
        return scalar.properties.canonicalCombiningClass.rawValue
    }

    /// Appends the full canonical decomposition of `value`, each mark moved back past the marks of
    /// a higher combining class before it, down to `barrier` at most (canonical ordering, stable).
    private static func appendDecomposed(_ value: UInt32, to scalars: inout [UInt32], after barrier: Int) {
        if value >= hangulFirst, value < hangulFirst + syllableCount {
            let index = value - hangulFirst
            scalars.append(leadingFirst + index / (vowelCount * trailingCount))
            scalars.append(vowelFirst + (index % (vowelCount * trailingCount)) / trailingCount)
            if index % trailingCount != 0 { scalars.append(trailingBase + index % trailingCount) }
            return
        }
        if value >= 0xC0, let range = decompositions[value] {
            for part in CompositionTable.scalars[range] { appendOrdered(part, to: &scalars, after: barrier) }
        } else {
            appendOrdered(value, to: &scalars, after: barrier)
        }
    }

    private static func appendOrdered(_ value: UInt32, to scalars: inout [UInt32], after barrier: Int) {
        let combining = combiningClass(value)
        var position = scalars.endIndex
        if combining != 0 {
            while position > barrier, combiningClass(scalars[position - 1]) > combining { position -= 1 }
        }
        scalars.insert(value, at: position)
    }

    /// Canonical composition in place: each scalar joins the last starter when no scalar between
    /// them blocks it (one of combining class 0, or of a class at least its own).
    private static func compose(_ scalars: inout [UInt32]) {
        var out = 0
        var starter: Int?
        var lastClass: Int = -1  // of the last scalar kept after the starter; -1: none
        for index in scalars.indices {
            let value = scalars[index]
            let combining = Int(combiningClass(value))
            if let starterIndex = starter, lastClass < combining || lastClass == -1,
               let composite = composed(scalars[starterIndex], value) {
                scalars[starterIndex] = composite
                continue
            }
            if combining == 0 {
                starter = out
                lastClass = -1
            } else {
                lastClass = combining
            }
            scalars[out] = value
            out += 1
        }
        scalars.removeSubrange(out...)
    }

    private static func composed(_ first: UInt32, _ second: UInt32) -> UInt32? {
        if first >= leadingFirst, first < leadingFirst + leadingCount, second >= vowelFirst, second < vowelFirst + vowelCount {
            return hangulFirst + ((first - leadingFirst) * vowelCount + (second - vowelFirst)) * trailingCount
        }
        if first >= hangulFirst, first < hangulFirst + syllableCount, (first - hangulFirst) % trailingCount == 0,
           second > trailingBase, second < trailingBase + trailingCount {
            return first + (second - trailingBase)
        }
        return compositions[UInt64(first) << 32 | UInt64(second)]
    }
}
