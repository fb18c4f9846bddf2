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

/// A document turned into terms: its weighted vector and the words used for fingerprints.
struct AnalysedDocument: Sendable {
    var vector: TermVector
    /// A longer vector for the theme layer: category-level words ("match", "shares") are rarer
    /// than names, and a story's top terms alone miss them.
    var themeVector: TermVector
    var distinctTerms: [Int32]
    var words: [String]
    /// How each of the vector's terms (same order as `vector.ids`) was written, for labels.
    var forms: [[LabelForms.Form]]
}

/// Turns observations into TF-IDF vectors (sublinear tf, headline terms weighted up).
enum TopicVectorizer {
    static func analyse(
        _ observation: TopicObservation, statistics: inout TermStatistics, configuration: TopicTrackerConfiguration
    ) -> AnalysedDocument {
        let (headline, body) = observation.headlineAndBody
        var tf: [Int32: Float] = [:]
        var words: [String] = []
        var written: [(id: Int32, text: String)] = []
        for (part, weight) in [(headline, Float(configuration.titleWeight)), (body, 1)] {
            let tokens = TopicTokenizer.wordsAndSurfaces(part)
            for (word, surface) in zip(tokens.words, tokens.surfaces) {
                words.append(word)
                guard let term = TopicTokenizer.term(word) else { continue }
                let id = statistics.intern(term, surface: surface.lowercased())
                tf[id, default: 0] += weight
                written.append((id, surface))
            }
        }
        for entity in observation.entities {
            let key = "=" + entity.lowercased()
            let id = statistics.intern(key, surface: entity)
            tf[id, default: 0] += Float(configuration.entityWeight)
            written.append((id, entity))
        }
        var weighted: [Int32: Float] = [:]
        for (id, count) in tf {
            weighted[id] = (1 + logf(max(count, 1))) * statistics.idf(id)
        }
        let vector = TermVector(weights: weighted, limit: configuration.documentTerms)
        var slots: [Int32: Int] = [:]
        slots.reserveCapacity(vector.ids.count)
        for (slot, id) in vector.ids.enumerated() { slots[id] = slot }
        var forms = [[LabelForms.Form]](repeating: [], count: vector.ids.count)
        for (id, text) in written {
            // In document order, so a tie between forms goes to the one written first.
            guard let slot = slots[id] else { continue }
            if let index = forms[slot].firstIndex(where: { $0.text == text }) {
                forms[slot][index].count += 1
            } else {
                forms[slot].append(LabelForms.Form(text: text, count: 1))
            }
        }
        return AnalysedDocument(
            vector: vector,
            themeVector: TermVector(weights: weighted, limit: configuration.themeDocumentTerms),
            // Sorted: dictionary order varies between processes (the counts it feeds are order-free
            // today, but nothing downstream should see a hash-seeded order).
            distinctTerms: tf.keys.sorted(), words: words, forms: forms
        )
    }
}
