/// 64-bit hashing for features, computed on Unicode scalars so no feature string is ever built.
///
/// Feature hashing keeps the model a fixed size whatever the vocabulary, and hashing scalars as
/// they are read keeps tagging free of per-feature allocations, which is what makes it fast.
enum FeatureHash {
    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always)
    static func add(_ hash: UInt64, _ value: UInt32) -> UInt64 {
        var h = hash
        h ^= UInt64(value & 0xff); h = h &* prime
        h ^= UInt64((value >> 8) & 0xff); h = h &* prime
        h ^= UInt64((value >> 16) & 0xff); h = h &* prime
        return h
    }

    /// Mixes two hashes into one (order matters): used for templates and conjunctions.
    @inline(__always)
    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a ^ (b &+ 0x9e37_79b9_7f4a_7c15 &+ (a << 6) &+ (a >> 2))
        x ^= x >> 33
        x = x &* 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        return x
    }

    /// Hash of a whole string's scalars.
    static func of(_ text: some StringProtocol) -> UInt64 {
        var h = seed
        for scalar in text.unicodeScalars { h = add(h, scalar.value) }
        return h
    }
}
