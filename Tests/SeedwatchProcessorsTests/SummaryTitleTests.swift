import Foundation
import SeedwatchCore
import SeedwatchText
import Testing
@testable import SeedwatchProcessors

/// The title is reported by `text` and never chosen by `summary`; texts written for the test.
@Suite struct SummaryTitleTests {
    /// A headline made of the body's most frequent words: as a sentence it would be the most central.
    static let article = """
    Schools budget council teachers budget schools

    The city council approved a new schools budget on Tuesday after a long debate.

    The budget gives schools more money for teachers. Council members said the schools budget was overdue.

    Parents welcomed the schools budget. The weather was mild.
    """

    private func run(_ processor: SummaryProcessor, _ text: String, name: String = "a.txt") async throws -> (TextResult, SummaryResult) {
        let document = Document.fromText(text, name: name)
        let textOutput = try await TextProcessor().process(ProcessorInput(document: document))
        let output = try await processor.process(ProcessorInput(document: document, upstream: ["text": textOutput]))
        return (try #require(textOutput as? TextResult), try #require(output as? SummaryResult))
    }

    @Test func textReportsTheTitleAndCountsBodySentences() async throws {
        let (text, _) = try await run(SummaryProcessor(), Self.article)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(text)) as? [String: Any]
        #expect(json?["title"] as? String == "Schools budget council teachers budget schools")
        #expect(json?["title_source"] as? String == "first_line")
        #expect(json?["sentences"] as? Int == 5)
        let untitled = TextProcessor().analyze(Document.fromText("The council met.\n\nIt agreed."))
        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(untitled)) as? [String: Any]
        #expect(plain?["title"] == nil)
        #expect(plain?["title_source"] == nil)
    }

    @Test func summaryNeverContainsTheTitle() async throws {
        for (weight, inGraph) in [(0.0, false), (2.0, false), (0.0, true), (2.0, true)] {
            var parameters = SummaryParameters()
            parameters.titleWeight = weight
            parameters.titleInGraph = inGraph
            for count in [1, 3, 100] {
                let (text, summary) = try await run(SummaryProcessor(sentences: count, parameters: parameters), Self.article)
                let title = try #require(text.analysis.title)
                #expect(summary.sentenceCount == 5)
                #expect(summary.sentences.count == min(count, 5))
                #expect(!summary.sentences.contains { title.sentenceRange.contains($0.index) })
                #expect(!summary.sentences.contains { $0.text.hasPrefix("Schools budget council") })
            }
        }
    }

    @Test func summaryOfATitleAloneIsEmptyWithAReason() async throws {
        let (text, summary) = try await run(SummaryProcessor(), "# Council backs budget\n", name: "a.md")
        #expect(text.analysis.title?.source == .markdownHeading)
        #expect(summary.sentences.isEmpty)
        #expect(summary.reason == "only a title")
    }

    @Test func theTitleAsAQueryFavoursSentencesCloseToIt() async throws {
        let text = """
        Harbour bridge reopens

        The harbour bridge reopened to traffic on Monday after repairs. Shops in the old town reported a busy weekend of trade. \
        Drivers said the bridge had been missed. Old town shops expect trade to grow. Trade in the old town shops rose.
        """
        var parameters = SummaryParameters()
        parameters.titleWeight = 5
        let (_, withQuery) = try await run(SummaryProcessor(sentences: 1, parameters: parameters), text)
        #expect(withQuery.sentences.first?.text.contains("bridge") == true)
    }
}
