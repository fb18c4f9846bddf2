import Foundation
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchPipeline
import SeedwatchTestSupport
import Testing

/// Result files are written by `SortedJSONEncoder`; for the real outputs of every built-in
/// processor they must be the bytes Foundation's `JSONEncoder` wrote before it.
@Suite struct ResultEncodingTests {
    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func resultsOfTheBuiltInProcessorsAreTheBytesFoundationWrites() async throws {
        let configuration = try ConfigLoader(schema: ProcessorSetup.schema).load(file: nil, defaultFile: nil, environment: [:], overrides: [])
        let runner = try ProcessorSetup.makeRunner(configuration, store: MemoryStateStore())
        #expect(Set(runner.names).isSuperset(of: ["text", "summary", "entities", "topics", "stats"]))
        var documents = try EntitySeedsTests.seedDocuments()
        // Odd inputs too: markup, control characters, numbers, nothing at all.
        for (index, text) in [
            "<html><body><h1>Title / \"quoted\"</h1><p>Share this\tpage</p><p>Body \u{1} text é 東京.</p></body></html>",
            "Revenue rose 12.5% to $3.2bn on 1 March 2024, the Bank of England said.",
            "",
        ].enumerated() {
            documents.append(Document.fromText(text, name: "odd-\(index).txt", sequence: UInt64(documents.count)))
        }
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        foundation.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        for document in documents {
            let record = ResultRecord(document: document, outcomes: await runner.run(document), completedAt: Date())
            let expected = Array(try foundation.encode(record)) + [0x0A]
            let bytes = try record.encoded()
            #expect(bytes == expected, "\(document.source.relativePath): \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
        let duplicate = ResultRecord(
            duplicate: documents[0].source, id: "copy", of: documents[0].id, originalResult: nil, arrivedAt: Date()
        )
        #expect(try duplicate.encoded() == Array(try foundation.encode(duplicate)) + [0x0A])
    }
}
