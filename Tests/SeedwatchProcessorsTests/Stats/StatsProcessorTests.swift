import SeedwatchCore
@testable import SeedwatchProcessors
import Testing

@Suite("Stats processor")
struct StatsProcessorTests {
    @Test("counts words, sentences and blank-line paragraphs")
    func counts() {
        let stats = TextStats.measure("One two three. Four five!\n\nSix seven? Eight", wordsPerMinute: 60)
        #expect(stats.words == 8)
        #expect(stats.sentences == 4)
        #expect(stats.paragraphs == 2)
        #expect(stats.readingTimeSeconds == 8)
    }

    @Test("without blank lines, each line is a paragraph; a headline without a full stop is a sentence")
    func linesAsParagraphs() {
        let stats = TextStats.measure("A headline\nThe body has one sentence.\nAnother line here.", wordsPerMinute: 230)
        #expect(stats.paragraphs == 3)
        #expect(stats.sentences == 3)
    }

    @Test("empty text and text without letters give zeros")
    func empty() {
        #expect(TextStats.measure("", wordsPerMinute: 230) == TextStats(characters: 0, words: 0, sentences: 0, paragraphs: 0, readingTimeSeconds: 0))
        #expect(TextStats.measure("... !!!", wordsPerMinute: 230).words == 0)
    }

    @Test("contractions and hyphenated words count once; other scripts count")
    func words() {
        #expect(TextStats.measure("don't well-known", wordsPerMinute: 230).words == 2)
        #expect(TextStats.measure("Привет мир", wordsPerMinute: 230).words == 2)
    }

    @Test("runs through the Processor protocol")
    func protocolCall() async throws {
        let output = try await StatsProcessor().process(ProcessorInput(document: .fromText("Hello world.")))
        #expect((output as? TextStats)?.words == 2)
    }
}
