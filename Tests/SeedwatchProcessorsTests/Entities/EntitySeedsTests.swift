import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import SeedwatchText
import Testing
@testable import SeedwatchProcessors

/// The five seed articles (read from ../shared/seeds, never copied): one canonical entity per
/// person, place and organisation of the story across all five, and nothing from page furniture.
@Suite(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
struct EntitySeedsTests {
    static let seeds = SharedData.seeds

    static func seedDocuments() throws -> [Document] {
        let names = try FileManager.default.contentsOfDirectory(atPath: seeds.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try names.enumerated().map { index, name in
            let text = try String(contentsOf: seeds.appendingPathComponent(name), encoding: .utf8)
            return Document.fromText(text, name: name, sequence: UInt64(index))
        }
    }

    static func run() async throws -> [EntitiesResult] {
        let processor = EntitiesProcessor(store: MemoryStateStore())
        var results: [EntitiesResult] = []
        for document in try seedDocuments() {
            let output = try await processor.process(ProcessorInput(document: document))
            results.append(try #require(output as? EntitiesResult))
        }
        return results
    }

    /// The canonical names of the people, places and organisations whose names include `word`.
    static func canonicalNames(of word: String, in results: [EntitiesResult]) -> Set<String> {
        var names = Set<String>()
        for result in results {
            for entity in result.entities where ["PERSON", "LOCATION", "ORGANIZATION"].contains(entity.type) {
                let forms = [entity.name] + entity.aliases
                if forms.contains(where: { NameKey(tokens: $0.split(separator: " ").map(String.init)).tokens.contains(word) }) {
                    names.insert(entity.name)
                }
            }
        }
        return names
    }

    @Test func oneCanonicalEntityPerNameAcrossTheFiveDocuments() async throws {
        let results = try await Self.run()
        #expect(results.count == 5)
        for word in ["sharaa", "assad", "putin", "moscow", "syria", "russia", "tartus", "damascus", "kremlin", "peskov"] {
            let names = Self.canonicalNames(of: word, in: results)
            #expect(names.count == 1, "\(word): \(names.sorted())")
        }
    }

    @Test func spellingVariantsMergeIntoOneEntity() async throws {
        let results = try await Self.run()
        let all = results.flatMap(\.entities)
        let sharaa = all.filter { $0.name.hasSuffix("al-Sharaa") }
        #expect(Set(sharaa.map(\.name)).count == 1)
        // Ahmad and Ahmed are the same man.
        let forms = Set(sharaa.flatMap { [$0.name] + $0.aliases })
        #expect(forms.contains("Ahmed al-Sharaa") && forms.contains("Ahmad al-Sharaa"))
        // Tartous is Tartus; Assad is Bashar al-Assad; Putin is Vladimir Putin.
        let tartous = all.first { $0.aliases.contains("Tartous") || $0.name == "Tartous" }
        #expect(tartous?.name == "Tartus")
        #expect(all.filter { $0.aliases.contains("Assad") }.allSatisfy { $0.name.hasPrefix("Bashar") })
        #expect(all.filter { $0.aliases.contains("Putin") }.allSatisfy { $0.name == "Vladimir Putin" })
        #expect(all.first { $0.name == "Vladimir Putin" }?.type == "PERSON")
        #expect(results.last?.entities.first { $0.name == "Moscow" }?.type == "LOCATION")
        #expect(results.last?.entities.first { $0.name == "Moscow" }?.documents == 5)
        // "the Hmeimim air base": a place, whatever the tagger said in each document.
        #expect(results.last?.entities.first { $0.name == "Hmeimim" }?.type == "LOCATION")
    }

    /// Issue 22: the tagger that reads the whole document (document context, one type per name)
    /// still finds every form of the seeds' names and they stay one entity each.
    @Test func everyFormOfSharaaAndTartusIsOneEntity() async throws {
        let results = try await Self.run()
        let all = results.flatMap(\.entities)
        let sharaa = all.flatMap { entity in
            entity.mentions.filter { $0.text.hasSuffix("Sharaa") }.map { (form: $0.text, name: entity.name) }
        }
        for form in ["Ahmed al-Sharaa", "Ahmad al-Sharaa", "al-Sharaa"] {
            #expect(sharaa.contains { $0.form == form }, "\(form) not found: \(sharaa)")
        }
        #expect(Set(sharaa.map { $0.name }).count == 1, "\(sharaa)")
        let tartus = all.filter { entity in entity.mentions.contains { $0.text == "Tartus" || $0.text == "Tartous" } }
        let tartusForms = Set(tartus.flatMap { $0.mentions.map(\.text) })
        #expect(tartusForms.isSuperset(of: ["Tartus", "Tartous"]), "\(tartusForms.sorted())")
        #expect(Set(tartus.map(\.name)) == ["Tartus"])
        #expect(tartus.allSatisfy { $0.type == "LOCATION" })
    }

    @Test func acronymsMergeWithTheirExpansion() async throws {
        let results = try await Self.run()
        let all = results.flatMap(\.entities)
        #expect(all.contains { $0.name == "Syrian Democratic Forces" && $0.aliases.contains("SDF") })
        // "the Kurdish-led Syrian Democratic Forces" is the same organisation in every document.
        let democratic = all.filter { ([$0.name] + $0.aliases).contains { $0.contains("Democratic") } }
        #expect(Set(democratic.map(\.name)) == ["Syrian Democratic Forces"])
        #expect(democratic.allSatisfy { $0.type == "ORGANIZATION" })
        #expect(all.contains { $0.name == "Hayat Tahrir al-Sham" && $0.aliases.contains("HTS") })
    }

    @Test func nothingFromPageFurniture() async throws {
        let results = try await Self.run()
        let forms = results.flatMap(\.entities).flatMap { [$0.name] + $0.aliases }.joined(separator: "|").lowercased()
        for furniture in ["associated press", "washington times", "lagos", "meta", "falana", "nigeria", "internewscast",
                          "babalola", "adejobi", "foreign news", "npf", "africare"] {
            #expect(!forms.contains(furniture), "\(furniture)")
        }
    }

    @Test func entitiesAreSortedBySalienceWithOffsetsIntoTheText() async throws {
        let documents = try Self.seedDocuments()
        let results = try await Self.run()
        for (document, result) in zip(documents, results) {
            let saliences = result.entities.map(\.salience)
            #expect(saliences == saliences.sorted(by: >))
            #expect(result.entities.first?.salience == 1)
            let clean = Array(TextAnalyzer.analyze(text: document.text, format: .plain).text.utf8)
            for entity in result.entities {
                #expect(entity.count == entity.mentions.count)
                for mention in entity.mentions {
                    #expect(String(decoding: clean[mention.start..<mention.end], as: UTF8.self) == mention.text)
                }
            }
        }
    }

    @Test func concurrentDocumentsShareOneRegistry() async throws {
        let processor = EntitiesProcessor(store: MemoryStateStore())
        let documents = try Self.seedDocuments()
        let results = try await withThrowingTaskGroup(of: EntitiesResult?.self) { group in
            for document in documents {
                group.addTask { try await processor.process(ProcessorInput(document: document)) as? EntitiesResult }
            }
            var all: [EntitiesResult] = []
            for try await result in group { if let result { all.append(result) } }
            return all
        }
        #expect(results.count == 5)
        for word in ["sharaa", "putin", "moscow"] {
            #expect(Self.canonicalNames(of: word, in: results).count == 1, "\(word)")
        }
    }

    @Test func theRegistryPersistsThroughTheStore() async throws {
        let store = MemoryStateStore()
        let documents = try Self.seedDocuments()
        _ = try await EntitiesProcessor(store: store).process(ProcessorInput(document: documents[3]))
        // A new processor (a daemon restart) reads the same store and keeps the names.
        let later = try await EntitiesProcessor(store: store).process(ProcessorInput(document: documents[4]))
        let entities = try #require(later as? EntitiesResult).entities
        let sharaa = entities.first { $0.aliases.contains("Sharaa") }
        #expect(sharaa?.name == "Ahmed al-Sharaa")
        #expect(sharaa?.documents == 2)
        #expect(try !store.keys(namespace: "entities").isEmpty)
    }
}
