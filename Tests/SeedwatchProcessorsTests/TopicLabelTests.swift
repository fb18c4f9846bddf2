import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

/// Labels are words of their story's documents (never index terms such as "sharaas"), name each
/// thing once, and put names before other words.
@Suite(.ownThreads) struct TopicLabelTests {
    static let bbc = SharedData.url("eval/summ/bbc_news_summary.jsonl")

    /// The words of a text as a reader sees them: runs of letters, digits, apostrophes and hyphens,
    /// without a possessive "'s", plus the parts of a hyphenated word ("al-Assad", "al", "Assad").
    static func words(of text: String) -> Set<String> {
        var out = Set<String>()
        for token in text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "\u{2019}" || $0 == "-") }) {
            var word = String(token)
            out.insert(word)  // as written too: "People's" of an entity name is a word of the text
            let edge: (Character) -> Bool = { $0 == "'" || $0 == "\u{2019}" || $0 == "-" }
            while let last = word.last, edge(last) { word.removeLast() }
            for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] where word.hasSuffix(suffix) { word.removeLast(2) }
            while let first = word.first, edge(first) { word.removeFirst() }
            while let last = word.last, edge(last) { word.removeLast() }
            out.insert(word)
            for part in word.split(separator: "-") { out.insert(String(part)) }
        }
        return out
    }

    /// Runs the documents through a tracker and returns, per label word not found in any document
    /// of its story, a line naming it (empty when every label passes), and the labels seen.
    static func labelWordsMissingFromTheirStory(_ documents: [TopicObservation]) async throws -> (missing: [String], labels: [String]) {
        let tracker = try TopicTracker(background: TopicFixtures.background(), store: MemoryStateStore())
        var storyWords: [String: Set<String>] = [:]
        var missing: [String] = []
        var labels: [String] = []
        for document in documents {
            let result = try await tracker.observe(document)
            let written = words(of: (document.title ?? "") + "\n" + document.text + "\n" + document.entities.joined(separator: "\n"))
            storyWords[result.topic, default: []].formUnion(written)
            labels.append(result.label)
            for word in result.label.split(separator: " ").map(String.init) where !(storyWords[result.topic] ?? []).contains(word) {
                missing.append("\(document.id) \(result.topic): '\(word)' of '\(result.label)'")
            }
        }
        return (missing, labels)
    }

    static func bbcArticles(_ count: Int) throws -> [TopicObservation] {
        let lines = try String(contentsOf: bbc, encoding: .utf8).split(separator: "\n").prefix(count)
        return try lines.map { line in
            let object = try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8))
            return TopicObservation(id: object["id"]?.stringValue ?? "", title: object["title"]?.stringValue, text: object["text"]?.stringValue ?? "")
        }
    }

    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func seedLabelsAreWordsOfTheirStory() async throws {
        let documents = try TopicFixtures.seedFiles.map(TopicFixtures.seed)
        try #require(documents.count == 5)
        let (missing, labels) = try await Self.labelWordsMissingFromTheirStory(documents)
        #expect(missing.isEmpty, "\(missing)")
        #expect(labels.allSatisfy { !$0.isEmpty })
        // "Ahmad al-Sharaa's" is written in every seed: the label says "Sharaa" (or a longer form), never "sharaas".
        #expect(labels.allSatisfy { !$0.lowercased().contains("sharaas") }, "\(labels)")
    }

    @Test(.enabled(if: SharedData.available("eval/summ/bbc_news_summary.jsonl"), "needs ../shared/eval/summ/bbc_news_summary.jsonl"))
    func bbcLabelsAreWordsOfTheirStory() async throws {
        let documents = try Self.bbcArticles(500)
        try #require(documents.count == 500)
        let (missing, labels) = try await Self.labelWordsMissingFromTheirStory(documents)
        #expect(missing.isEmpty, "\(missing.count) label words missing from their story: \(missing.prefix(20))")
        #expect(labels.filter(\.isEmpty).isEmpty)
    }

    /// Runs everywhere: documents written for this test, with possessives, plurals, a name in two
    /// forms and entity names given as the entities processor would.
    @Test func sampleLabelsAreWordsOfTheirStoryAndNameEachThingOnce() async throws {
        let documents = [
            TopicObservation(id: "a", text: """
                Harbour workers' strike
                Marvane's harbour workers walked out on Monday. The Marvane harbour strike halted the cranes, \
                and Ostrel's union said the cranes would stay idle. Karim al-Ostrel's union leaders met the port board.
                """, entities: ["Marvane", "Karim al-Ostrel"]),
            TopicObservation(id: "b", text: """
                Cranes idle as harbour strike spreads
                The strike at Marvane's harbour spread to the grain docks. Al-Ostrel told workers the cranes were \
                idle until the board answered; Ostrel's union counted the strikers at every dock. The strike \
                costs the harbour £2m a day, the board said.
                """, entities: ["Marvane", "al-Ostrel", "£2m"]),
            TopicObservation(id: "c", text: TopicFixtures.unrelatedArticle),
        ]
        let (missing, labels) = try await Self.labelWordsMissingFromTheirStory(documents)
        #expect(missing.isEmpty, "\(missing)")
        let words = labels[1].split(separator: " ").map(String.init)
        #expect(!words.isEmpty && !words.contains("marvanes") && !words.contains("ostrel"), "\(labels[1])")
        // One form per name: no label word is made of parts of another.
        for (i, first) in words.enumerated() {
            for second in words[(i + 1)...] {
                let a = Set(first.lowercased().split { !$0.isLetter }), b = Set(second.lowercased().split { !$0.isLetter })
                #expect(!a.isSubset(of: b) && !b.isSubset(of: a), "\(labels[1])")
            }
        }
        // Names first: once a word without a capital appears, no capitalised word follows.
        let firstCommon = words.firstIndex { !LabelForms.hasCapital($0) } ?? words.count
        #expect(words[firstCommon...].allSatisfy { !LabelForms.hasCapital($0) }, "\(labels[1])")
        #expect(words.contains("Marvane"), "\(labels[1])")
        #expect(!labels.contains { $0.contains("£") }, "an amount is not a word: \(labels)")
    }

    @Test func surfacesAreTheWordsAsWritten() {
        let tokens = TopicTokenizer.wordsAndSurfaces("Syria\u{2019}s leader, O'Neill's bases and the workers' union")
        #expect(tokens.words == TopicTokenizer.words("Syria\u{2019}s leader, O'Neill's bases and the workers' union"))
        #expect(tokens.surfaces == ["Syria", "leader", "O'Neill", "bases", "and", "the", "workers", "union"])
    }

    @Test func labelDropsPartsOfANameAndPutsNamesFirst() {
        typealias Word = TopicEngine.LabelWord
        let label = TopicEngine.label([
            Word(text: "assad", isEntityTerm: false), Word(text: "bases", isEntityTerm: false),
            Word(text: "al-Assad", isEntityTerm: true), Word(text: "al", isEntityTerm: false),
            Word(text: "Moscow", isEntityTerm: false), Word(text: "syria", isEntityTerm: false),
            Word(text: "$1.3bn", isEntityTerm: true), Word(text: "4.75%", isEntityTerm: true),
            Word(text: "Syria", isEntityTerm: true), Word(text: "talks", isEntityTerm: false), Word(text: "navy", isEntityTerm: false),
        ])
        #expect(label == "Moscow assad bases syria talks")
    }

    @Test func formsPerTermAreBoundedAndTheMostFrequentWins() {
        var forms = LabelForms()
        forms.record([1: [.init(text: "Shares", count: 1)], 2: [.init(text: "bank", count: 1)]], candidates: [1, 2])
        forms.record([1: [.init(text: "shares", count: 1)]], candidates: [1, 2])
        #expect(forms.best(1) == "shares")  // a tie goes to the form without a capital
        for text in ["SHARES", "share", "Share", "shares"] { forms.record([1: [.init(text: text, count: 1)]], candidates: [1]) }
        #expect(forms.forms[1]?.count == LabelForms.formsPerTerm)
        #expect(forms.best(1) == "shares")
        #expect(forms.forms[2] == nil)  // no longer a candidate
    }

    /// A story key written before label forms were counted still loads (the label then uses the
    /// first form the stream used); a new key keeps them.
    @Test func storyKeysWithAndWithoutLabelFormsLoad() throws {
        var engine = TopicEngine(configuration: TopicTrackerConfiguration(), background: .empty)
        let id = engine.statistics.intern("harbour", surface: "harbour")
        var story = Story(id: 3, centroid: Centroid(limit: 200, weights: [id: 1]), count: 1, created: 0, lastSeen: 0)
        story.labelForms = LabelForms(forms: [id: [.init(text: "Harbour", count: 2), .init(text: "harbour", count: 1)]], candidates: [id])
        #expect(try engine.decodeStory(engine.encodeStory(story), key: "story/3") == story)
        var old = StateWriter()
        for value in [3, 1, 0, 0, 1] { old.int(value) }
        old.string("harbour")
        old.string("harbour")
        old.float(1)
        let restored = try engine.decodeStory(old.bytes, key: "story/3")
        #expect(restored.labelForms.forms.isEmpty && restored.centroid == story.centroid)
        #expect(engine.label(restored) == "harbour")
    }
}
