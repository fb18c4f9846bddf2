import Foundation
import SeedwatchCore
import SeedwatchText
import Testing
@testable import SeedwatchProcessors

@Suite struct SummaryProcessorTests {
    static let article = """
    The city council approved a new budget for schools on Tuesday after a long debate.

    The budget gives schools more money for teachers and books. Council members said the schools budget was overdue.

    Parents welcomed the schools budget. Some said the money for teachers should have come sooner.

    The weather was mild. A local team won its match.

    The mayor said the council would review the schools budget again next year.
    """

    private func run(_ processor: SummaryProcessor, _ text: String) async throws -> SummaryResult {
        let document = Document.fromText(text)
        let textOutput = try await TextProcessor().process(ProcessorInput(document: document))
        let output = try await processor.process(ProcessorInput(document: document, upstream: ["text": textOutput]))
        return try #require(output as? SummaryResult)
    }

    @Test func picksCentralSentencesInDocumentOrder() async throws {
        let result = try await run(SummaryProcessor(sentences: 3), Self.article)
        #expect(result.sentenceCount == 8)
        #expect(result.sentences.count == 3)
        #expect(result.sentences.map(\.index) == result.sentences.map(\.index).sorted())
        #expect(!result.sentences.contains { $0.text.hasPrefix("The weather") })
        #expect(result.keyphrases.contains { $0.text.lowercased().contains("budget") })
        #expect(result.reason == nil)
    }

    @Test func ratioSetsTheLength() async throws {
        let result = try await run(SummaryProcessor(ratio: 0.5), Self.article)
        #expect(result.sentences.count == 4)  // round(0.5 × 8)
    }

    @Test func isDeterministic() async throws {
        let a = try await run(SummaryProcessor(), Self.article)
        let b = try await run(SummaryProcessor(), Self.article)
        #expect(a == b)
    }

    @Test func declaresTheTextDependencyAndFailsWithoutIt() async throws {
        #expect(SummaryProcessor().dependencies == [.required("text")])
        await #expect(throws: ProcessorFailure.self) {
            _ = try await SummaryProcessor().process(ProcessorInput(document: Document.fromText("A. B.")))
        }
    }

    @Test func configKeysAreRead() throws {
        let catalog = ProcessorCatalog(ProcessorRegistry.builtIns)
        var configuration = Configuration(schema: ConfigSchema(catalog.configKeys))
        try configuration.set("processors.summary.sentences", text: "5", origin: "test")
        let processor = try SummaryProcessor.make(ProcessorContext(
            config: configuration.scope("processors.summary."), store: MemoryStateStore()))
        #expect((processor as? SummaryProcessor)?.sentences == 5)
    }

    @Test func encodesUnderTheDocumentedKeys() throws {
        let analysis = TextAnalyzer.analyze(text: Self.article, format: .plain)
        let result = SummaryProcessor().summarize(analysis)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any]
        let first = (json?["sentences"] as? [[String: Any]])?.first
        #expect(first?["index"] is Int)
        #expect(first?["score"] is Double)
        #expect(first?["text"] is String)
        #expect(json?["sentence_count"] as? Int == 8)
        #expect(json?["keyphrases"] is [[String: Any]])
    }
}
