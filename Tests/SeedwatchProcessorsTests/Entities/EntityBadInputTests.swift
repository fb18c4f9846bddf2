import Foundation
import SeedwatchCore
import SeedwatchText
import Testing
import SeedwatchTestSupport
@testable import SeedwatchProcessors

/// Hostile input: valid output, no crash, cost linear in the input.
@Suite(.ownThreads) struct EntityBadInputTests {
    static func entities(_ text: String) async throws -> [EntityRecord] {
        let output = try await EntitiesProcessor(store: MemoryStateStore()).process(ProcessorInput(document: .fromText(text)))
        let result = try #require(output as? EntitiesResult)
        // Whatever came out must encode as JSON.
        _ = try JSONEncoder().encode(result)
        return result.entities
    }

    @Test func allCapitals() async throws {
        let entities = try await Self.entities("VLADIMIR PUTIN MET AHMED AL-SHARAA IN MOSCOW ON WEDNESDAY.\nPUTIN SAID RUSSIA WOULD HELP.")
        #expect(entities.contains { $0.type == "DATE" })
        #expect(!entities.isEmpty)
    }

    @Test func noCapitals() async throws {
        let entities = try await Self.entities("vladimir putin met ahmed al-sharaa in moscow on wednesday. putin said russia would help.")
        // The date needs no capital; the names, without one, may or may not be found.
        #expect(entities.contains { $0.type == "DATE" })
        for entity in entities { #expect(entity.count == entity.mentions.count) }
    }

    @Test func tenThousandCharacterTokens() async throws {
        let long = String(repeating: "A", count: 10_000)
        let entities = try await Self.entities("\(long) met \(String(repeating: "x", count: 10_000)) in Moscow. \(long)")
        #expect(entities.contains { $0.name == "Moscow" })
    }

    /// Offsets are UTF-8 byte offsets into the clean text: a name after multi-byte scripts must
    /// still point at its own bytes. The English line at the end gives the loop something to check.
    @Test func nonLatinScripts() async throws {
        let text = "التقى الرئيس أحمد الشرع بفلاديمير بوتين في موسكو.\n普京在莫斯科会见了沙拉。\nПутин встретился с аш-Шараа в Москве.\n🇸🇾 🇷🇺 \u{200D}\u{0301}\nVladimir Putin met Ahmed al-Sharaa in Moscow on Wednesday."
        let entities = try await Self.entities(text)
        let clean = Array(TextAnalyzer.analyze(text: text, format: .plain).text.utf8)
        #expect(entities.contains { $0.name.contains("Moscow") })
        let mentions = entities.flatMap(\.mentions)
        #expect(!mentions.isEmpty)
        for mention in mentions {
            try #require(mention.start >= 0 && mention.end <= clean.count && mention.start < mention.end)
            #expect(String(decoding: clean[mention.start..<mention.end], as: UTF8.self) == mention.text)
        }
    }

    /// Names from a small set of first and last names, `bytes` long; one paragraph (no line
    /// breaks), so no line is dropped as a repeat and the tagger reads all of it.
    static func names(bytes: Int, lineBreaks: Bool) -> String {
        var text = ""
        let first = ["Vladimir", "Ahmed", "Bashar", "Sergei", "Dmitry", "Maria", "Angela"]
        let last = ["Putin", "al-Sharaa", "al-Assad", "Lavrov", "Peskov", "Merkel", "Tartous", "Moscow"]
        var i = 0
        while text.utf8.count < bytes {
            text += first[i % first.count] + " " + last[(i * 3 + i / 7) % last.count]
            text += i % 13 == 12 ? (lineBreaks ? ".\n" : ". ") : ", "
            i += 1
        }
        return text
    }

    @Test func aMegabyteOfNames() async throws {
        let entities = try await Self.entities(Self.names(bytes: 1_000_000, lineBreaks: true))
        #expect(!entities.isEmpty)
        #expect(entities.count <= 7 * 8 + 7 + 8)
        #expect(entities.allSatisfy { $0.mentions.count <= 200 && $0.count >= $0.mentions.count })
    }

    /// The tagger on a long paragraph of names (release timings for 1, 2 and 4 MB are in
    /// docs/ENTITIES.md: the cost is linear).
    @Test func aLongParagraphOfNames() async throws {
        let entities = try await Self.entities(Self.names(bytes: 150_000, lineBreaks: false))
        #expect(entities.count <= 7 * 8 + 7 + 8)
        #expect(entities.reduce(0) { $0 + $1.count } > 5_000)
        #expect(entities.allSatisfy { $0.mentions.count <= 200 })
    }

    @Test func emptyAndWhitespace() async throws {
        #expect(try await Self.entities("").isEmpty)
        #expect(try await Self.entities(" \n\n\t ").isEmpty)
    }

    @Test func aMissingModelIsReportedNotFatal() async throws {
        struct Missing: Error {}
        let processor = EntitiesProcessor(tagger: .failure(Missing()), store: MemoryStateStore())
        await #expect(throws: ProcessorFailure.self) {
            _ = try await processor.process(ProcessorInput(document: .fromText("Putin met Sharaa.")))
        }
    }
}
