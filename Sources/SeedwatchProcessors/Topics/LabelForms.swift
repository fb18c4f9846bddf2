/// How a story's label candidates were written in the story's documents: per term, the forms
/// seen and how often, so the label shows the most frequent one ("bases", "Sharaa"), a word that
/// occurs in the story, never the index term ("sharaa" from "Sharaa's").
///
/// Bounded: only the story's `candidates` heaviest centroid terms are kept, each with at most
/// `formsPerTerm` forms. A term can only rise into the heaviest ones with a document that holds
/// it (a centroid is a sum, and truncation only drops its lightest terms), so every candidate
/// has the forms of at least that document.
struct LabelForms: Sendable, Equatable {
    struct Form: Sendable, Equatable {
        var text: String
        var count: Int
    }

    /// Terms kept per story: the label shows 5 after duplicate names are dropped.
    static let candidates = 12
    static let formsPerTerm = 3

    private(set) var forms: [Int32: [Form]] = [:]
    /// The story's `candidates` heaviest centroid terms, heaviest first, as of the last document
    /// (derived from the centroid, so not stored: set again when a story is read back).
    private(set) var candidates: [Int32] = []

    init() {}

    init(forms: [Int32: [Form]], candidates: [Int32]) {
        self.forms = forms
        self.candidates = candidates
    }

    /// Counts a document's forms for the candidates, and forgets terms that are no longer ones.
    mutating func record(_ document: [Int32: [Form]], candidates: [Int32]) {
        let ids = Array(document.keys)
        record(ids: ids, forms: ids.map { document[$0] ?? [] }, candidates: candidates)
    }

    /// The same with the document's terms and their forms as two parallel arrays (its vector's
    /// order): a few dozen ids, searched directly rather than hashed.
    mutating func record(ids: [Int32], forms written: [[Form]], candidates: [Int32]) {
        self.candidates = candidates
        var kept: [Int32: [Form]] = [:]
        for id in candidates {
            var list = forms[id] ?? []
            if let slot = ids.firstIndex(of: id) {
                for form in written[slot] { Self.add(form, to: &list) }
            }
            if !list.isEmpty { kept[id] = list }
        }
        forms = kept
    }

    /// The most frequent form. On a tie a form without capitals wins (a sentence's first word is
    /// capitalised, a name is never written in lower case), then the one seen first.
    func best(_ id: Int32) -> String? {
        guard var best = forms[id]?.first else { return nil }
        for form in forms[id] ?? [] where form.count > best.count
            || (form.count == best.count && Self.hasCapital(best.text) && !Self.hasCapital(form.text)) {
            best = form
        }
        return best.text
    }

    static func hasCapital(_ text: String) -> Bool {
        // ASCII first: the Unicode property look-up costs more than the rest of a label.
        if text.utf8.allSatisfy({ $0 < 128 }) { return text.utf8.contains { $0 >= 65 && $0 <= 90 } }
        return text.unicodeScalars.contains { $0.properties.isUppercase }
    }

    /// Adds a count; when the list is full a new form replaces the rarest only if it is now more
    /// frequent than it (so the list never grows and the forms in it were all seen).
    static func add(_ form: Form, to list: inout [Form]) {
        if let index = list.firstIndex(where: { $0.text == form.text }) {
            list[index].count += form.count
        } else if list.count < formsPerTerm {
            list.append(form)
        } else if let rarest = list.indices.min(by: { list[$0].count < list[$1].count }), list[rarest].count < form.count {
            list[rarest] = form
        }
    }
}
