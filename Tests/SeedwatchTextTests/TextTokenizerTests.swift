import Testing
@testable import SeedwatchText

@Suite struct TokenizerTests {
    private func texts(_ s: String) -> [String] {
        Tokenizer.tokenize(s).map { String($0.text(in: s)) }
    }

    @Test func keepsNumbersContractionsAndAbbreviationsWhole() {
        #expect(texts("It rose 2% to $11.1bn, 1,510 don't high-speed U.S. firms.") ==
            ["It", "rose", "2", "%", "to", "$", "11.1bn", ",", "1,510", "don't", "high-speed", "U.S.", "firms", "."])
    }

    @Test func offsetsAreUTF8BytesIntoTheGivenText() {
        let s = "Café – naïve"
        let tokens = Tokenizer.tokenize(s)
        #expect(tokens.count == 3)
        #expect(tokens[0].byteRange == 0..<5)
        #expect(tokens[1].kind == .punctuation)
        #expect(tokens[2].text(in: s) == "naïve")
    }

    @Test func unspacedScriptsGiveOneTokenPerCharacter() {
        #expect(texts("東京都").count == 3)
        #expect(texts("Привет мир").count == 2)
        #expect(texts("مرحبا بالعالم").count == 2)
    }
}

@Suite struct NormalizerTests {
    @Test func foldsQuotesDashesAndComposes() {
        #expect(TextNormalizer.normalize("“Hi” – it’s e\u{301}") == "\"Hi\" - it's é")
        #expect(TextNormalizer.normalize("a\r\nb\rc") == "a\nb\nc")
        #expect(TextNormalizer.normalize("\u{200F}abc\u{200E}\u{FEFF}") == "abc")
    }
}

@Suite struct StemmerTests {
    @Test func matchesPorterReferenceOutputs() {
        let cases = [
            "caresses": "caress", "ponies": "poni", "cats": "cat", "feed": "feed", "agreed": "agre",
            "plastered": "plaster", "motoring": "motor", "sing": "sing", "conflated": "conflat",
            "troubled": "troubl", "sized": "size", "hopping": "hop", "falling": "fall", "filing": "file",
            "happy": "happi", "relational": "relat", "conditional": "condit", "rational": "ration",
            "digitizer": "digit", "operator": "oper", "hopeful": "hope", "goodness": "good",
            "revival": "reviv", "allowance": "allow", "adjustment": "adjust", "adoption": "adopt",
            "controll": "control", "generalizations": "gener", "running": "run", "profits": "profit",
        ]
        for (word, stem) in cases {
            #expect(PorterStemmer.stem(word) == stem, "\(word)")
        }
        #expect(PorterStemmer.stem("ça") == "ça")
    }

    @Test func stopWordsAreLowerCase() {
        #expect(StopWords.contains("the"))
        #expect(!StopWords.contains("putin"))
    }
}
