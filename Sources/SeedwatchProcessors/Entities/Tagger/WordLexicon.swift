/// Word classes learned from unlabelled news text: distributional clusters and a case prior.
///
/// Clusters let the tagger generalise from "Tartus" to towns it never saw labelled; the case
/// prior (how often a word is capitalised mid-sentence) tells a name from a capitalised first
/// word or a headline in capitals. Keyed by the hash of the lower-cased word.
struct WordLexicon: Sendable {
    /// lower hash → coarse cluster (bits 0–7), fine cluster + 1 (bits 8–19), case class (bits 20–21).
    var entries = HashedKeyMap<UInt32>()

    struct Entry {
        var coarse: UInt32
        var fine: UInt32
        var caseClass: UInt32
    }

    @inline(__always)
    func lookup(_ lower: UInt64) -> Entry? {
        guard let packed = entries[lower] else { return nil }
        return Entry(coarse: packed & 0xff, fine: (packed >> 8) & 0xfff, caseClass: (packed >> 20) & 0x3)
    }

    static func pack(coarse: Int, fine: Int, caseClass: Int) -> UInt32 {
        UInt32(coarse & 0xff) | UInt32(fine & 0xfff) << 8 | UInt32(caseClass & 0x3) << 20
    }
}
