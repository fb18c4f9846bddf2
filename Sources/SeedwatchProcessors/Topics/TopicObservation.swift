import FoundationEssentials
import Glibc

/// What the tracker sees of one document.
public struct TopicObservation: Sendable {
    public var id: String
    public var path: String
    /// The headline when known separately (evaluation streams); otherwise the first short line of
    /// `text` is taken as the headline.
    public var title: String?
    public var text: String
    /// Entity names from the entities processor, when it ran.
    public var entities: [String]

    public init(id: String, path: String = "", title: String? = nil, text: String, entities: [String] = []) {
        self.id = id
        self.path = path
        self.title = title
        self.text = text
        self.entities = entities
    }

    /// The headline and body, splitting a first short line off `text` when no title was given.
    var headlineAndBody: (headline: Substring, body: Substring) {
        if let title { return (Substring(title), Substring(text)) }
        let trimmed = text.drop { $0.isWhitespace }
        guard let newline = trimmed.firstIndex(of: "\n") else {
            // One line: a headline when short, else all body.
            return trimmed.count <= 200 ? (trimmed, "") : ("", trimmed)
        }
        let first = trimmed[..<newline]
        guard first.count <= 200 else { return ("", trimmed) }
        return (first, trimmed[newline...])
    }
}

/// What the tracker needs of one document that does not depend on earlier documents: its terms in
/// the order they first occur, with their counts and written forms, and its near-duplicate
/// signature. Made outside the arrival-order turn (`TopicsProcessor.prepare`), so the turn only
/// looks the terms' ids up (by the hashes taken here), weighs and updates.
struct PreparedTopicDocument: Sendable {
    struct Term: Sendable {
        var term: String
        /// `term.hashValue`, taken here so the turn's look-up of the term's id hashes nothing
        /// (the hash seed is per process, and both stages run in the same one).
        var hash: Int
        /// The first form written, lower-cased (an entity: as named): the term's surface when new.
        var surface: String
        /// Occurrences, the headline's and entities' weighted.
        var tf: Float
        /// The forms written, in the order first seen, with their counts.
        var forms: [LabelForms.Form]
    }

    var terms: [Term]
    var signature: [UInt32]?
    var wordCount: Int
}

/// A document turned into terms: its weighted vector and its near-duplicate signature.
struct AnalysedDocument: Sendable {
    var vector: TermVector
    /// A longer vector for the theme layer: category-level words ("match", "shares") are rarer
    /// than names, and a story's top terms alone miss them.
    var themeVector: TermVector
    /// The document's term ids, each once, in the order the terms first occur.
    var distinctTerms: [Int32]
    var signature: [UInt32]?
    var wordCount: Int
    /// How each of the vector's terms (same order as `vector.ids`) was written, for labels.
    var forms: [[LabelForms.Form]]
}

/// Turns observations into TF-IDF vectors (sublinear tf, headline terms weighted up).
enum TopicVectorizer {
    /// Tokenizes and counts: everything that needs no state.
    static func prepare(_ observation: TopicObservation, configuration: TopicTrackerConfiguration) -> PreparedTopicDocument {
        let (headline, body) = observation.headlineAndBody
        var terms: [PreparedTopicDocument.Term] = []
        var slots: [String: Int] = [:]
        var words: [String] = []
        func add(_ term: String, surface: () -> String, weight: Float, written: String) {
            guard let slot = slots[term] else {
                slots[term] = terms.count
                terms.append(.init(
                    term: term, hash: term.hashValue, surface: surface(), tf: weight, forms: [LabelForms.Form(text: written, count: 1)]
                ))
                return
            }
            terms[slot].tf += weight
            // In document order, so a tie between forms goes to the one written first.
            if let index = terms[slot].forms.firstIndex(where: { $0.text == written }) {
                terms[slot].forms[index].count += 1
            } else {
                terms[slot].forms.append(LabelForms.Form(text: written, count: 1))
            }
        }
        for (part, weight) in [(headline, Float(configuration.titleWeight)), (body, 1)] {
            let tokens = TopicTokenizer.wordsAndSurfaces(part)
            for (word, surface) in zip(tokens.words, tokens.surfaces) {
                words.append(word)
                guard let term = TopicTokenizer.term(word) else { continue }
                add(term, surface: { surface.lowercased() }, weight: weight, written: surface)
            }
        }
        for entity in observation.entities {
            add("=" + entity.lowercased(), surface: { entity }, weight: Float(configuration.entityWeight), written: entity)
        }
        return PreparedTopicDocument(terms: terms, signature: NearDuplicateIndex.signature(words: words), wordCount: words.count)
    }

    /// Interns the terms in the order they first occur (as the words were read) and weighs them
    /// with the stream's document frequencies.
    ///
    /// One sort of the document's weighted terms gives both vectors (the shorter is a prefix of the
    /// longer); arrays throughout, no dictionary: this runs in the arrival-order turn.
    static func analyse(
        _ prepared: PreparedTopicDocument, statistics: inout TermStatistics, configuration: TopicTrackerConfiguration
    ) -> AnalysedDocument {
        let ids = statistics.intern(prepared.terms)
        // Each weighted term with its index in `prepared.terms` (for its written forms).
        var ranked: [(term: WeightedTerm, index: Int)] = []
        ranked.reserveCapacity(prepared.terms.count)
        for (index, (term, id)) in zip(prepared.terms, ids).enumerated() {
            let weight = (1 + logf(max(term.tf, 1))) * statistics.idf(id)
            if weight > 0 { ranked.append((WeightedTerm(id: id, weight: weight), index)) }
        }
        ranked.sort { WeightedTerm.heavier($0.term, $1.term) }
        let terms = ranked.map(\.term)
        let themeVector = TermVector(heaviestFirst: terms.prefix(configuration.themeDocumentTerms))
        let vector = TermVector(heaviestFirst: terms.prefix(configuration.documentTerms), within: themeVector)
        let forms = vector.isEmpty ? [] : ranked.prefix(vector.count).map { prepared.terms[$0.index].forms }
        return AnalysedDocument(
            vector: vector,
            themeVector: themeVector,
            // Counted as a set (each term once), so their order does not matter.
            distinctTerms: ids, signature: prepared.signature, wordCount: prepared.wordCount, forms: forms
        )
    }
}
