import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

@Suite(.ownThreads) struct EntityTaggerTests {
    static let conll = SharedData.url("eval/ner/conll2003")

    @Test func theShippedModelTagsPeopleAndPlaces() throws {
        let tagger = try EntityTagger.shipped()
        #expect(tagger.types == ["LOC", "MISC", "ORG", "PER"])
        let tags = tagger.tag(["Vladimir", "Putin", "met", "Ahmed", "al-Sharaa", "in", "Moscow", "on", "Wednesday", "."])
        #expect(tags == ["B-PER", "I-PER", "O", "B-PER", "I-PER", "O", "B-LOC", "O", "O", "O"])
    }

    @Test func aModelSurvivesEncodingAndDecoding() throws {
        let tagger = try EntityTagger.shipped()
        let again = try EntityTagger(bytes: tagger.encoded())
        #expect(again.encoded() == tagger.encoded())
    }

    @Test func corruptModelsAreErrors() throws {
        let bytes = try EntityTagger.shipped().encoded()
        #expect(throws: NERModelError.notAModel) { _ = try EntityTagger(bytes: Array("not a model".utf8)) }
        for cut in [0, 3, 6, 20, 200, bytes.count / 2, bytes.count - 1] {
            #expect(throws: NERModelError.self) { _ = try EntityTagger(bytes: Array(bytes.prefix(cut))) }
        }
        var wrongVersion = bytes
        wrongVersion[5] = 99
        #expect(throws: NERModelError.unsupportedVersion(99)) { _ = try EntityTagger(bytes: wrongVersion) }
    }

    @Test(.enabled(if: SharedData.available("eval/ner/conll2003/train.conll"), "needs ../shared/eval/ner/conll2003"))
    func trainingIsDeterministic() throws {
        let text = try String(contentsOf: Self.conll.appendingPathComponent("train.conll"), encoding: .utf8)
        let sentences = Array(ConllCorpus.parse(text).prefix(150))
        var options = PerceptronTrainer.Options()
        options.epochs = 2
        options.hashBits = 14
        options.runs = 2
        let first = EntityTagger.train(train: sentences, dev: Array(sentences.prefix(20)), unlabeledText: [], options: options) { _ in }
        let second = EntityTagger.train(train: sentences, dev: Array(sentences.prefix(20)), unlabeledText: [], options: options) { _ in }
        #expect(first.tagger.encoded() == second.tagger.encoded())
    }

    @Test func conllParsingAndSpanScoring() {
        let sentences = ConllCorpus.parse("EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\n\nPeter\tB-PER\nBlackburn\tI-PER\n")
        #expect(sentences.count == 2)
        #expect(sentences[1].tokens == ["Peter", "Blackburn"])
        var score = SpanScore()
        score.add(gold: ["B-PER", "I-PER", "O", "B-LOC"], predicted: ["B-PER", "O", "O", "B-LOC"])
        #expect(score.overall.truePositives == 1)
        #expect(score.overall.predicted == 2)
        #expect(score.overall.gold == 2)
        // conlleval: an I- tag after O opens an entity.
        #expect(BIO.spans(["O", "I-ORG", "I-ORG"]) == [TypedSpan(start: 1, end: 3, type: "ORG")])
    }
}

@Suite struct EntityRulesAndNamesTests {
    func spans(_ text: String) -> [String] {
        let tokens = text.split(separator: " ").map(String.init)
        return NumericRules.spans(tokens).map { "\($0.type):\(tokens[$0.start..<$0.end].joined(separator: " "))" }
    }

    @Test func datesMoneyAndPercentages() {
        #expect(spans("on Wednesday , January 28 , 2026 .") == ["DATE:Wednesday , January 28 , 2026"])
        #expect(spans("in late 2024 and 12 March 2025") == ["DATE:late 2024", "DATE:12 March 2025"])
        #expect(spans("seeks $ 5m for 3 % or 4.5 per cent") == ["MONEY:$ 5m", "PERCENT:3 %", "PERCENT:4.5 per cent"])
        #expect(spans("12 million dollars") == ["MONEY:12 million dollars"])
        #expect(spans("you may go in March") == [])
    }

    @Test func nameVariants() {
        func key(_ s: String) -> NameKey { NameKey(tokens: s.split(separator: " ").map(String.init)) }
        #expect(key("Ahmad al-Sharaa").sameName(key("Ahmed al-Sharaa")))
        #expect(key("Tartus").sameName(key("Tartous")))
        #expect(key("al-Assad").sameName(key("Assad")))
        #expect(key("Al-Sharaa's").sameName(key("Sharaa")))
        #expect(key("Putin").isSuffix(of: key("Vladimir Putin")))
        #expect(!key("Syria").sameName(key("Serbia")))
        #expect(!key("Russia").sameName(key("Prussia")))
        #expect(!key("Israel").sameName(key("Israeli")))
        #expect(!key("Russia").sameName(key("Russian")))
        #expect(key("Shara").sameName(key("Sharaa")))
        #expect(key("Syrian Democratic Forces").acronym == "sdf")
        #expect(key("Hayat Tahrir al-Sham").acronym == "hts")
    }

    @Test func tokenizerKeepsOffsetsAndSplitsClitics() {
        let text = "Syria’s Sharaa met Mr. Putin in the U.S. on Wednesday.\nNext line"
        let sentences = EntityTokenizer.sentences(text)
        #expect(sentences.count == 2)
        let words = sentences[0].map(\.text)
        #expect(words == ["Syria", "'s", "Sharaa", "met", "Mr.", "Putin", "in", "the", "U.S.", "on", "Wednesday", "."])
        let scalars = Array(text.unicodeScalars)
        for token in sentences.flatMap({ $0 }) where token.text != "'s" {
            #expect(String(String.UnicodeScalarView(scalars[token.start..<token.end])) == token.text)
        }
    }
}

@Suite struct EntitiesProcessorContractTests {
    @Test func readsTheAnalysisOfTheTextProcessor() async throws {
        let processor = EntitiesProcessor(store: MemoryStateStore())
        #expect(processor.dependencies == [.required("text")])
        // The upstream analysis wins over the document's own text: it is what the pipeline cleaned.
        let upstream = TextProcessor().analyze(.fromText("Angela Merkel visited Paris on Monday with her ministers."))
        let input = ProcessorInput(document: .fromText("Nothing to see here at all today."), upstream: ["text": upstream])
        let result = try #require(try await processor.process(input) as? EntitiesResult)
        #expect(result.entities.contains { $0.name == "Angela Merkel" && $0.type == "PERSON" })
        let clean = Array(upstream.analysis.text.utf8)
        for mention in result.entities.flatMap(\.mentions) {
            #expect(String(decoding: clean[mention.start..<mention.end], as: UTF8.self) == mention.text)
        }
    }

    @Test func isRegisteredAsEntities() {
        #expect(ProcessorRegistry.builtIns.contains { $0.processorName == "entities" })
        #expect(EntitiesProcessor.configKeys.map(\.name) == ["model", "max_mentions", "registry_cache"])
    }
}

@Suite struct EntityContextCueTests {
    func spans(_ text: String, tagged: [TypedSpan] = []) -> [String] {
        let words = text.split(separator: " ").map(String.init)
        return ContextCues.withOrganisationNames(tagged, words: words)
            .map { "\($0.type):\(words[$0.start..<$0.end].joined(separator: " "))" }
    }

    @Test func organisationNamesCutUpByTheTaggerAreJoined() {
        let cut = [TypedSpan(start: 1, end: 2, type: "MISC"), TypedSpan(start: 2, end: 3, type: "MISC")]
        #expect(spans("the Syrian Democratic Forces said", tagged: cut) == ["ORG:Syrian Democratic Forces"])
        #expect(spans("by the Kurdish-led Syrian Democratic Forces .") == ["ORG:Syrian Democratic Forces"])
        #expect(spans("the Ministry of Defence Forces said") == ["ORG:Ministry of Defence Forces"])
    }

    @Test func namesTheTaggerFoundWholeKeepTheirType() {
        let whole = [TypedSpan(start: 2, end: 4, type: "LOC")]
        #expect(spans("the former Soviet Union collapsed", tagged: whole) == ["LOC:Soviet Union"])
        #expect(spans("the army said") == [])
    }
}
