import Foundation
import SeedwatchCore
import SeedwatchText
import Testing
@testable import SeedwatchProcessors

@Suite struct TextProcessorTests {
    @Test func usesTheDocumentFormatAndEncodesCompactly() async throws {
        let html = "<html><body><nav>Home</nav><p>The mayor opened the new bridge on Monday. Crowds cheered.</p><footer>Copyright</footer></body></html>"
        let document = Document.fromText(html, name: "a.html")
        let output = try await TextProcessor().process(ProcessorInput(document: document))
        let result = try #require(output as? TextResult)
        #expect(result.analysis.format == .html)
        #expect(result.analysis.sentences.count == 2)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any]
        #expect(json?["text"] as? String == "The mayor opened the new bridge on Monday. Crowds cheered.")
        #expect(json?["sentences"] as? Int == 2)
        #expect(json?["paragraphs"] as? Int == 1)
        #expect(json?["tokens"] == nil)
    }

    @Test func recordsRemovedLinesWithReasons() async throws {
        let text = "Share this\n\nThe mayor opened the new bridge on Monday, and crowds cheered loudly.\n\nAll rights reserved.\n"
        let result = TextProcessor().analyze(Document.fromText(text))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any]
        let removed = json?["removed"] as? [[String: Any]]
        #expect(removed?.map { $0["reason"] as? String } == ["share", "copyright"])
        #expect(removed?.map { $0["line"] as? Int } == [1, 5])
    }

    @Test func isRegistered() {
        #expect(ProcessorRegistry.builtIns.contains { $0.processorName == "text" })
        #expect(ProcessorRegistry.builtIns.contains { $0.processorName == "summary" })
    }
}
