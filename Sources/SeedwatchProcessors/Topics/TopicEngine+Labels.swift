/// Labels: words people read, not index terms.
///
/// A story's label shows its heaviest centroid terms, each in the form most often written in the
/// story's documents (`LabelForms`); a theme's label (a `topic_shift` alert) the first form the
/// stream used. Names come before other words, and a name is shown once: a word whose parts are
/// all in another label word ("Assad" and "al-Assad", "syria" and the entity "Syria") is dropped.
extension TopicEngine {
    static let labelWords = 5

    func label(_ story: Story) -> String {
        Self.label(story.labelForms.candidates.lazy.map { id in
            LabelWord(text: story.labelForms.best(id) ?? statistics.surface(id), isEntityTerm: statistics.term(id).hasPrefix("="))
        })
    }

    func label(_ centroid: Centroid) -> String {
        Self.label(centroid.top(LabelForms.candidates).lazy.map { id in
            LabelWord(text: statistics.surface(id), isEntityTerm: statistics.term(id).hasPrefix("="))
        })
    }

    struct LabelWord {
        var text: String
        /// A name from the entities processor.
        var isEntityTerm: Bool

        /// A name: from the entities processor, or written with a capital where it was counted.
        var isName: Bool {
            guard !isEntityTerm, let first = text.utf8.first else { return isEntityTerm }
            if first < 128 { return first >= 65 && first <= 90 }
            return text.unicodeScalars.first?.properties.isUppercase == true
        }

        /// Words only: each space-separated part made of letters, digits, apostrophes and hyphens,
        /// with a letter. Entity names such as "$1.3bn", "4.75%" or "Oyens & Van Eeghen" are not.
        var isWords: Bool {
            // ASCII first (nearly every label word): letters, digits, apostrophes, hyphens, spaces.
            if text.utf8.allSatisfy({ $0 < 128 }) {
                return text.utf8.split(separator: 32).allSatisfy { part in
                    !part.isEmpty && part.contains { ($0 | 32) >= 97 && ($0 | 32) <= 122 }
                        && part.allSatisfy { ($0 | 32) >= 97 && ($0 | 32) <= 122 || ($0 >= 48 && $0 <= 57) || $0 == 39 || $0 == 45 }
                } && !text.utf8.isEmpty
            }
            let parts = text.split(separator: " ")
            return !parts.isEmpty && parts.allSatisfy { part in
                part.contains { $0.isLetter }
                    && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "'" || $0 == "\u{2019}" || $0 == "-" }
            }
        }

        /// Lower-cased letter and digit runs: "al-Assad" → ["al", "assad"].
        var parts: Set<String> {
            Set(text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init))
        }
    }

    /// The first `labelWords` candidates (heaviest first) that name something not named yet, names
    /// first. Skipped: two-letter lower-case words ("al" of "al-Assad"), which read as noise, and
    /// entity names that are not words (amounts, percentages, names with "&" or commas).
    static func label(_ candidates: some Sequence<LabelWord>) -> String {
        var chosen: [(word: LabelWord, parts: Set<String>)] = []
        for word in candidates where chosen.count < labelWords {
            // The cheap tests first: `parts` lower-cases, splits and hashes.
            guard word.isWords, word.text.count > 2 || word.isName else { continue }
            let parts = word.parts
            guard !parts.isEmpty else { continue }
            if chosen.contains(where: { $0.parts.isSubset(of: parts) || parts.isSubset(of: $0.parts) }) { continue }
            chosen.append((word, parts))
        }
        let ordered = chosen.filter { $0.word.isName } + chosen.filter { !$0.word.isName }
        return ordered.map(\.word.text).joined(separator: " ")
    }
}
