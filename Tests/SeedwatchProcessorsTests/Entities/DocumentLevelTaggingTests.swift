import Testing
@testable import SeedwatchProcessors

/// Issue 22's document-level tagging: story boundaries in CoNLL files, what the rest of a
/// document says about a word, and one type per name within a document.
@Suite struct DocumentLevelTaggingTests {
    static func sentence(_ text: String) -> ConllSentence {
        let tokens = text.split(separator: " ").map(String.init)
        return ConllSentence(tokens: tokens, tags: tokens.map { _ in "O" })
    }

    static func traits(_ text: String) -> [TokenTraits] {
        text.split(separator: " ").map { TokenTraits(String($0)) }
    }

    @Test func storiesStartAtTheHeadlineBeforeTheirDateline() {
        let sentences = [
            "SOCCER - JAPAN GET LUCKY WIN .", "AL-AIN , United Arab Emirates 1996-12-06", "Japan won .",
            "Talks resume in Gaza .", "Nadim Ladki", "JERUSALEM 1996-12-06", "Peres met Arafat .",
        ].map(Self.sentence)
        #expect(ConllCorpus.documents(sentences) == [0..<3, 3..<7])
    }

    @Test func withoutDatelinesEachSentenceIsItsOwnDocument() {
        let sentences = ["@someone loves Paris", "new phone who dis", "Go Giants !"].map(Self.sentence)
        #expect(ConllCorpus.documents(sentences) == [0..<1, 1..<2, 2..<3])
    }

    @Test func aWordInCapitalsTakesItsCaseFromTheRestOfTheDocument() {
        let context = DocumentContext([
            Self.traits("JAPAN BEAT SYRIA IN CUP"), Self.traits("Then Japan scored and the win was late ."),
        ])
        let japan = TokenTraits("JAPAN").lower
        let win = TokenTraits("WIN").lower
        #expect(DocumentContext.caseClass(context.words[japan]) == 1)
        #expect(DocumentContext.caseClass(context.words[win]) == 2)
        #expect(DocumentContext.caseClass(context.words[TokenTraits("SYRIA").lower]) == 0)
        // First capitalised mention mid-sentence: "Then Japan scored" (position 5 + 1).
        #expect(context.words[japan]?.firstPosition == 6)
        #expect(context.words[japan]?.previous == TokenTraits("then").lower)
    }

    @Test func aNameTakesTheTypeTheDocumentGivesItMostOften() {
        let traits = [Self.traits("Syria beat Japan ."), Self.traits("Syria lost to Iran ."), Self.traits("Syria drew .")]
        var spans: [[TypedSpan]] = [
            [TypedSpan(start: 0, end: 1, type: "LOC"), TypedSpan(start: 2, end: 3, type: "LOC")],
            [TypedSpan(start: 0, end: 1, type: "ORG"), TypedSpan(start: 3, end: 4, type: "LOC")],
            [TypedSpan(start: 0, end: 1, type: "LOC")],
        ]
        DocumentConsistency.apply(&spans, traits: traits)
        #expect(spans[1][0] == TypedSpan(start: 0, end: 1, type: "LOC"))
        #expect(spans.flatMap { $0 }.filter { $0.type == "ORG" }.isEmpty)
    }

    @Test func anUntaggedCapitalisedMentionOfANameBecomesThatName() {
        let traits = [
            Self.traits("Acme Corp said Little Rock ."), Self.traits("ACME WINS"), Self.traits("the little rock band"),
        ]
        let first: [[TypedSpan]] = [[TypedSpan(start: 0, end: 2, type: "ORG"), TypedSpan(start: 3, end: 5, type: "LOC")], [], []]
        // "Acme" alone was never tagged: nothing to fill in.
        var alone = first
        DocumentConsistency.apply(&alone, traits: traits)
        #expect(alone == first)
        // Once "Acme" is tagged somewhere, the headline's "ACME" follows; lower-case "little rock" never does.
        var tagged = first + [[TypedSpan(start: 0, end: 1, type: "ORG")]]
        DocumentConsistency.apply(&tagged, traits: traits + [Self.traits("Acme said .")])
        #expect(tagged[1] == [TypedSpan(start: 0, end: 1, type: "ORG")])
        #expect(tagged[2].isEmpty)
    }

    @Test func anAcronymInBracketsAfterANameIsThatName() {
        let words = "head of Hayat Tahrir al-Sham ( HTS ) and ( UN )".split(separator: " ").map(String.init)
        let spans = ContextCues.withBracketedAcronyms([TypedSpan(start: 2, end: 5, type: "ORG")], words: words)
        #expect(spans == [TypedSpan(start: 2, end: 5, type: "ORG"), TypedSpan(start: 6, end: 7, type: "ORG")])
    }

    @Test func aSurnameAloneIsThePersonTheDocumentNamedInFull() {
        let traits = [Self.traits("Brian Lara scored 50 ."), Self.traits("Lara batted on ."), Self.traits("LARA OUT"), Self.traits("the lara")]
        var spans: [[TypedSpan]] = [[TypedSpan(start: 0, end: 2, type: "PER")], [TypedSpan(start: 0, end: 1, type: "LOC")], [], []]
        DocumentConsistency.apply(&spans, traits: traits)
        #expect(spans[1] == [TypedSpan(start: 0, end: 1, type: "PER")])
        #expect(spans[2] == [TypedSpan(start: 0, end: 1, type: "PER")])
        #expect(spans[3].isEmpty)
        // A place that ends a place's name stays what the tagger said.
        var places: [[TypedSpan]] = [[TypedSpan(start: 0, end: 2, type: "LOC")], [TypedSpan(start: 0, end: 1, type: "ORG")]]
        DocumentConsistency.apply(&places, traits: [Self.traits("Little Rock is hot ."), Self.traits("Rock won .")])
        #expect(places[1] == [TypedSpan(start: 0, end: 1, type: "ORG")])
    }
}
