import Foundation
import SeedwatchCore
import Testing
@testable import SeedwatchProcessors

@Suite("Topics processor")
struct TopicsProcessorTests {
    static func makeProcessor(store: any ProcessorStateStore = MemoryStateStore()) throws -> any Processor {
        let catalog = ProcessorCatalog([TopicsProcessor.self])
        let configuration = Configuration(schema: ConfigSchema(catalog.configKeys))
        return try TopicsProcessor.make(ProcessorContext(config: configuration.scope("processors.topics."), store: store))
    }

    @Test func isRegisteredStatefulAndDeclaresItsDependencies() throws {
        #expect(ProcessorRegistry.builtIns.contains { $0.processorName == "topics" })
        let processor = try Self.makeProcessor()
        #expect(processor.name == "topics")
        #expect(processor.isStateful)
        #expect(processor.dependencies.contains(.optional("entities")))
        #expect(processor.dependencies.contains(.required("text")))
    }

    @Test func resultEncodesTheDocumentedFields() async throws {
        let processor = try Self.makeProcessor()
        let document = Document.fromText(TopicFixtures.wireStory, name: "ferry.txt")
        let text = TextProcessor().analyze(document)
        let output = try await processor.process(ProcessorInput(document: document, upstream: ["text": text]))
        let result = try #require(output as? TopicsResult)
        #expect(result.alerts.map(\.alertClass) == [.newTopic])
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(output)) as? [String: Any])
        for key in ["topic", "label", "similarity", "alerts", "near_duplicate_of", "sequence"] { #expect(json[key] != nil, "missing \(key)") }
        let alert = try #require((json["alerts"] as? [[String: Any]])?.first)
        #expect(alert["class"] as? String == "new_topic")
        #expect(alert["message_id"] as? String == TopicAlertMessageID.newTopic)
        #expect(alert["document_path"] as? String == "ferry.txt")
    }

    /// Boilerplate removed by the text processor does not reach the tracker: a share line alone
    /// is not a story.
    @Test func readsTheCleanTextFromTheTextProcessor() async throws {
        let processor = try Self.makeProcessor()
        let raw = "Share this @example.com\n![]()\n" + TopicFixtures.wireStory
        let document = Document.fromText(raw, name: "ferry.txt")
        let withText = try await processor.process(ProcessorInput(document: document, upstream: ["text": TextProcessor().analyze(document)]))
        let result = try #require(withText as? TopicsResult)
        #expect(!result.label.contains("share"))
    }

    /// A word and the entity of the same name are separate terms; the label names it once.
    @Test func labelNamesEachWordOnceWhateverItsCase() async throws {
        let processor = try Self.makeProcessor()
        let text = """
            Syria held talks with its neighbours on Monday. Officials in Syria said the talks on Syria went well. \
            The Syria talks continue in Damascus next week, the officials of Syria said.
            """
        let document = Document.fromText(text, name: "talks.txt")
        let entities = JSONValue.object(["entities": .array([
            .object(["text": .string("Syria"), "type": .string("LOC")]),
            .object(["text": .string("Damascus"), "type": .string("LOC")]),
        ])])
        let output = try await processor.process(ProcessorInput(
            document: document, upstream: ["text": TextProcessor().analyze(document), "entities": entities]))
        let label = try #require(output as? TopicsResult).label
        let words = label.split(separator: " ").map { $0.lowercased() }
        #expect(words.contains("syria"), "\(label)")
        #expect(Set(words).count == words.count, "\(label)")
    }

    /// Term statistics are written every `checkpoint_docs` documents (100 by default); `stop()`
    /// writes the rest, so a clean restart forgets none of them.
    @Test func stopSavesWhatACheckpointHasNotYet() async throws {
        let store = MemoryStateStore()
        let processor = try Self.makeProcessor(store: store)
        for (index, text) in (TopicFixtures.sportBlock + TopicFixtures.marketsBlock).enumerated() {
            let document = Document.fromText(text, name: "d\(index).txt")
            _ = try await processor.process(ProcessorInput(document: document, upstream: ["text": TextProcessor().analyze(document)]))
        }
        #expect(try !store.keys(namespace: TopicTracker.namespace).contains("df/documents"))
        try await processor.stop()
        let keys = try store.keys(namespace: TopicTracker.namespace)
        #expect(keys.contains("df/documents"))
        #expect(keys.contains { $0.hasPrefix("dfd/") || $0.hasPrefix("df/") && $0 != "df/documents" }, "the counts of the terms seen")
    }

    @Test func entityNamesAreReadFromAnyEntitiesOutput() {
        let output = JSONValue.object(["entities": .array([
            .object(["text": .string("Ahmad al-Sharaa"), "type": .string("PER")]),
            .object(["text": .string("Moscow"), "label": .string("LOC")]),
        ])])
        #expect(TopicsProcessor.entityNames(output) == ["Ahmad al-Sharaa", "Moscow"])
    }

    /// The direct path (`EntityNamesOutput`) must give exactly what the JSON walk gives, in the
    /// same order, or topic assignments would change with it.
    @Test func entityNamesDirectlyFromTheEntitiesProcessorMatchItsJSONForm() async throws {
        let document = Document.fromText(TopicFixtures.wireStory, name: "wire.txt")
        let output = try await EntitiesProcessor(store: MemoryStateStore()).process(ProcessorInput(document: document))
        #expect(output is any EntityNamesOutput)
        let direct = TopicsProcessor.entityNames(output)
        #expect(!direct.isEmpty)
        #expect(direct == TopicsProcessor.entityNamesFromJSON(output))
    }

    @Test func everyConfigKeyHasHelpAndAValidDefault() throws {
        for key in TopicsProcessor.configKeys {
            #expect(!key.help.isEmpty)
            _ = try key.validate(key.defaultValue)
        }
        let defaults = TopicTrackerConfiguration()
        let catalog = ProcessorCatalog([TopicsProcessor.self])
        let read = TopicTrackerConfiguration(Configuration(schema: ConfigSchema(catalog.configKeys)).scope("processors.topics."))
        #expect(read == defaults)
    }

    @Test func tokenizerLowercasesDropsStopWordsAndStemsPlurals() {
        let words = TopicTokenizer.words("The Kremlin's talks, on Wednesday: 2024 bases!")
        #expect(words == ["the", "kremlins", "talks", "on", "wednesday", "bases"])
        #expect(words.compactMap(TopicTokenizer.term) == ["kremlin", "talk", "wednesday", "base"])
        #expect(TopicTokenizer.stem("policies") == "policy")
        #expect(TopicTokenizer.stem("process") == "process")
    }
}
