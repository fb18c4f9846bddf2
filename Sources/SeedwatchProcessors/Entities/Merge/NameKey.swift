import FoundationEssentials
import SeedwatchText

/// Normalised name tokens and the tests that decide whether two names are the same entity.
///
/// Spelling variants of transliterated names differ mostly in vowels (Ahmed/Ahmad, Tartus/Tartous)
/// and in the Arabic article (al-Assad/Assad); comparing consonant skeletons, with a bound on the
/// edit distance, merges those and little else.
struct NameKey: Sendable, Hashable {
    /// Folded tokens: lower case, no diacritics, no article prefix, no possessive.
    let tokens: [String]
    /// The initials of a name of two or more words, skipping "of", "the", …: "sdf" for Syrian
    /// Democratic Forces. Kept, like `bareWord`, because the registry compares them for every
    /// candidate entry of every name.
    let acronym: String?
    /// The single token without dots ("u.s." → "us"), the form an acronym is written in; `nil` for
    /// a name of several tokens.
    let bareWord: String?

    static let articlePrefixes = ["al-", "el-", "ad-", "as-", "ash-", "an-", "ar-", "at-", "az-", "ath-", "ad-", "adh-"]
    static let dropTokens: Set<String> = ["the", "al", "el", "'s", "'", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."]
    static let derivationSuffixes: Set<String> = ["i", "n", "an", "ian", "ese", "ish", "s", "es", "ic"]
    static let acronymStopWords: Set<String> = ["of", "the", "and", "for", "&", "de", "du", "la", "le", "der", "des"]

    init(tokens raw: [String]) {
        var tokens: [String] = []
        for token in raw {
            var folded = Self.fold(token)
            if folded.hasSuffix("'s") { folded = String(folded.dropLast(2)) }
            if Self.dropTokens.contains(folded) || folded.isEmpty { continue }
            if let prefix = Self.articlePrefixes.first(where: { folded.hasPrefix($0) }), folded.count > prefix.count + 1 {
                folded = String(folded.dropFirst(prefix.count))
            }
            tokens.append(folded)
        }
        self.tokens = tokens
        let words = tokens.filter { !Self.acronymStopWords.contains($0) }
        acronym = words.count >= 2 ? String(words.compactMap { $0.first }) : nil
        bareWord = tokens.count == 1 ? tokens[0].replacingDots() : nil
    }

    static func == (a: NameKey, b: NameKey) -> Bool { a.tokens == b.tokens }
    func hash(into hasher: inout Hasher) { hasher.combine(tokens) }

    /// Lower case without diacritics; ASCII (most names in English news) skips the table look-ups.
    static func fold(_ token: String) -> String {
        if token.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: token.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return NameFolding.fold(token).replacing("\u{2019}", with: "'")
    }

    var isEmpty: Bool { tokens.isEmpty }
    var joined: String { tokens.joined(separator: " ") }

    /// Consonant skeleton: first letter, then consonants with repeats collapsed ("tartous" → "trts").
    static func skeleton(_ token: String) -> String {
        var out = String.UnicodeScalarView()
        var last: Unicode.Scalar?
        for (i, scalar) in token.unicodeScalars.enumerated() {
            let vowel = "aeiouy'-".unicodeScalars.contains(scalar)
            if i > 0 && vowel { continue }
            if scalar == last { continue }
            out.append(scalar)
            last = scalar
        }
        return String(out)
    }

    /// Same word, or a spelling variant of it.
    static func sameToken(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        // A derived word is another word: Israel/Israeli, Russia/Russian, Kurd/Kurds.
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        if long.hasPrefix(short), derivationSuffixes.contains(String(long.dropFirst(short.count))) { return false }
        let longer = max(a.count, b.count)
        guard longer >= 4, abs(a.count - b.count) <= 2, skeleton(a) == skeleton(b) else { return false }
        return editDistance(a, b, limit: max(1, longer / 3)) <= max(1, longer / 3)
    }

    /// Levenshtein distance, stopping early once it exceeds `limit` (names are short; this bounds the cost).
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard x.count <= 64, y.count <= 64 else { return a == b ? 0 : limit + 1 }
        var previous = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var current = [i] + [Int](repeating: 0, count: y.count)
            var rowMin = i
            for j in 1...max(1, y.count) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            previous = current
        }
        return previous[y.count]
    }

    /// Token-by-token variant equality.
    func sameName(_ other: NameKey) -> Bool {
        tokens.count == other.tokens.count && zip(tokens, other.tokens).allSatisfy { Self.sameToken($0, $1) }
    }

    /// This (shorter) name ends the other: "Putin" in "Vladimir Putin", "Sharaa" in "Ahmed al-Sharaa".
    func isSuffix(of other: NameKey) -> Bool {
        guard !tokens.isEmpty, tokens.count < other.tokens.count else { return false }
        return zip(tokens, other.tokens.suffix(tokens.count)).allSatisfy { Self.sameToken($0, $1) }
    }

    /// This (shorter) name appears inside the other as consecutive tokens.
    func isContained(in other: NameKey) -> Bool {
        guard !tokens.isEmpty, tokens.count < other.tokens.count else { return false }
        for start in 0...(other.tokens.count - tokens.count) {
            if zip(tokens, other.tokens[start...]).allSatisfy({ Self.sameToken($0, $1) }) { return true }
        }
        return false
    }

    /// The surface form is an acronym: 2–6 capitals ("SDF", "HTS", "U.S.").
    static func looksLikeAcronym(_ surface: String) -> Bool {
        let letters = surface.filter { $0 != "." }
        return letters.count >= 2 && letters.count <= 6 && letters.allSatisfy { $0.isUppercase && $0.isLetter }
    }
}
