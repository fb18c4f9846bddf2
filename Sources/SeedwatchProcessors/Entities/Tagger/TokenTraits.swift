/// What the features need to know about one token, computed in one pass over its scalars.
///
/// Everything is a hash or a small flag set, so building features is integer arithmetic only.
struct TokenTraits: Sendable {
    var exact: UInt64
    var lower: UInt64
    /// Word shape with runs capped at two (`Xxxxx` → `Xxx`... `Xx`), e.g. `Xx`, `XX-d`.
    var shape: UInt64
    /// Shape with runs collapsed to one symbol: `Xx`, `X`, `d.d`.
    var shortShape: UInt64
    var prefixes: (UInt64, UInt64, UInt64, UInt64)
    var suffixes: (UInt64, UInt64, UInt64, UInt64)
    var flags: Flags
    var length: Int

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt16
        static let initialUpper = Flags(rawValue: 1 << 0)
        static let allUpper = Flags(rawValue: 1 << 1)
        static let hasDigit = Flags(rawValue: 1 << 2)
        static let allDigits = Flags(rawValue: 1 << 3)
        static let hasHyphen = Flags(rawValue: 1 << 4)
        static let hasPeriod = Flags(rawValue: 1 << 5)
        static let hasLetter = Flags(rawValue: 1 << 6)
        static let hasLower = Flags(rawValue: 1 << 7)
        static let nonLatin = Flags(rawValue: 1 << 8)
        static let punctuation = Flags(rawValue: 1 << 9)
    }

    /// Affixes beyond this many scalars are not looked at; a 10,000-character token costs one pass.
    static let affixLength = 4

    init(_ token: String) {
        self.init(token.unicodeScalars)
    }

    init(_ scalars: some Collection<Unicode.Scalar>) {
        var exact = FeatureHash.seed
        var lower = FeatureHash.seed
        var shape = FeatureHash.seed
        var shortShape = FeatureHash.seed
        var prefixes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var ring: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        var count = 0
        var uppers = 0
        var letters = 0
        var digits = 0
        var flags: Flags = []
        var lastShape: UInt32 = 0
        var run = 0
        for scalar in scalars {
            let v = scalar.value
            exact = FeatureHash.add(exact, v)
            var low = v
            var symbol: UInt32
            if v < 128 {
                if v >= 65 && v <= 90 {
                    low = v + 32; symbol = 88; uppers += 1; letters += 1  // X
                } else if v >= 97 && v <= 122 {
                    symbol = 120; letters += 1; flags.insert(.hasLower)  // x
                } else if v >= 48 && v <= 57 {
                    symbol = 100; digits += 1  // d
                } else {
                    symbol = v
                    if v == 45 { flags.insert(.hasHyphen) }
                    if v == 46 { flags.insert(.hasPeriod) }
                }
            } else {
                let properties = scalar.properties
                if properties.isUppercase {
                    symbol = 88; uppers += 1; letters += 1
                    if let first = properties.lowercaseMapping.unicodeScalars.first { low = first.value }
                } else if properties.isAlphabetic {
                    symbol = properties.isLowercase ? 120 : 97  // a: caseless letter (most non-Latin scripts)
                    letters += 1
                    if properties.isLowercase { flags.insert(.hasLower) }
                    if v >= 0x0370 { flags.insert(.nonLatin) }
                } else if properties.numericType != nil {
                    symbol = 100; digits += 1
                } else {
                    symbol = v == 0x2019 ? 39 : (v == 0x2013 || v == 0x2014 ? 45 : 111)  // o: other
                    if symbol == 45 { flags.insert(.hasHyphen) }
                }
            }
            lower = FeatureHash.add(lower, low)
            if symbol == lastShape {
                run += 1
            } else {
                run = 1
                lastShape = symbol
                shortShape = FeatureHash.add(shortShape, symbol)
            }
            if run <= 2 { shape = FeatureHash.add(shape, symbol) }
            if count < Self.affixLength {
                let h = FeatureHash.add(count == 0 ? FeatureHash.seed : Self.prefix(prefixes, count - 1), low)
                switch count {
                case 0: prefixes.0 = h
                case 1: prefixes.1 = h
                case 2: prefixes.2 = h
                default: prefixes.3 = h
                }
            }
            ring = (ring.1, ring.2, ring.3, low)
            count += 1
        }
        if count > 0 {
            if uppers > 0 && (v0IsUpper(exactFirst: scalars.first)) { flags.insert(.initialUpper) }
            if letters > 0 && uppers == letters { flags.insert(.allUpper) }
            if digits > 0 { flags.insert(.hasDigit) }
            if digits == count { flags.insert(.allDigits) }
            if letters > 0 { flags.insert(.hasLetter) } else if digits == 0 { flags.insert(.punctuation) }
        }
        // Suffix hashes, from the last four scalars (fewer when the token is shorter).
        var suffixes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for n in 1...Self.affixLength where n <= count {
            var h = FeatureHash.add(FeatureHash.seed, 0x5f)
            for k in (Self.affixLength - n)..<Self.affixLength { h = FeatureHash.add(h, Self.element(ring, k)) }
            switch n {
            case 1: suffixes.0 = h
            case 2: suffixes.1 = h
            case 3: suffixes.2 = h
            default: suffixes.3 = h
            }
        }
        // Short tokens: a "prefix" longer than the token is the token itself; mark absent ones 0.
        self.exact = exact
        self.lower = lower
        self.shape = shape
        self.shortShape = shortShape
        self.prefixes = prefixes
        self.suffixes = suffixes
        self.flags = flags
        self.length = count
    }

    /// The `i`th of the last four scalars, oldest first (a tuple, so no array per token).
    @inline(__always)
    private static func element(_ ring: (UInt32, UInt32, UInt32, UInt32), _ i: Int) -> UInt32 {
        switch i {
        case 0: ring.0
        case 1: ring.1
        case 2: ring.2
        default: ring.3
        }
    }

    private static func prefix(_ p: (UInt64, UInt64, UInt64, UInt64), _ i: Int) -> UInt64 {
        switch i {
        case 0: p.0
        case 1: p.1
        case 2: p.2
        default: p.3
        }
    }
}

@inline(__always)
private func v0IsUpper(exactFirst: Unicode.Scalar?) -> Bool {
    guard let first = exactFirst else { return false }
    if first.value < 128 { return first.value >= 65 && first.value <= 90 }
    return first.properties.isUppercase
}
