/// What the rest of a document says about each word: non-local features without a second pass.
///
/// A headline in capitals or a sentence's first word hides whether a word is a name; the same
/// word written mid-sentence elsewhere in the document shows it ("JAPAN" … "Japan"). And a name's
/// first mention often has the context that tells its type ("Mr. Smith", "Smith said"), which
/// later bare mentions lack. Built from the token traits alone, so training and tagging compute it
/// the same way and one left-to-right pass over the document suffices.
struct DocumentContext: Sendable {
    struct Word: Sendable {
        /// Mid-sentence occurrences (not first, not in a sentence in capitals) written capitalised.
        var capitalised: UInt16 = 0
        /// Mid-sentence occurrences written in lower case.
        var lowered: UInt16 = 0
        /// Document-wide position of the first capitalised mid-sentence occurrence, and its
        /// neighbours' lower-case hashes.
        var firstPosition = -1
        var previous: UInt64 = 0
        var next: UInt64 = 0
    }

    private(set) var words = HashedKeyMap<Word>()
    /// A context that knows nothing: a sentence tagged on its own.
    static let empty = DocumentContext()

    init() {}

    /// `sentences` in document order; positions count tokens from the document's start.
    init(_ sentences: [[TokenTraits]]) {
        var position = 0
        for traits in sentences {
            let caps = FeatureExtractor.isCapsSentence(traits)
            for (i, t) in traits.enumerated() {
                defer { position += 1 }
                guard i > 0, !caps, t.flags.contains(.hasLetter) else { continue }
                var word = words[t.lower] ?? Word()
                if t.flags.contains(.initialUpper) {
                    word.capitalised &+= word.capitalised == .max ? 0 : 1
                    if word.firstPosition < 0 {
                        word.firstPosition = position
                        word.previous = traits[i - 1].lower
                        word.next = i + 1 < traits.count ? traits[i + 1].lower : 0
                    }
                } else if t.flags.contains(.hasLower) {
                    word.lowered &+= word.lowered == .max ? 0 : 1
                }
                words[t.lower] = word
            }
        }
    }

    /// 0 unseen, 1 only capitalised, 2 only lower case, 3 both (mostly capitalised), 4 both (mostly lower).
    @inline(__always)
    static func caseClass(_ word: Word?) -> UInt64 {
        guard let word else { return 0 }
        switch (word.capitalised > 0, word.lowered > 0) {
        case (true, false): return 1
        case (false, true): return 2
        case (true, true): return word.capitalised >= word.lowered ? 3 : 4
        case (false, false): return 0
        }
    }
}
