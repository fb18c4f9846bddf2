import SeedwatchText

/// From analysed text (the text foundation: boilerplate removed, sentences, tokens) to merged
/// entity clusters: the tagger and the rules run, mentions merged.
struct EntityExtraction: Sendable {
    let tagger: NERModel
    /// Longer runs without a sentence break are tagged in pieces: the tagger's context is local
    /// anyway, and it keeps memory flat on a megabyte without punctuation.
    static let maxSentenceTokens = 200

    /// Clusters of the analysed text; mention offsets are UTF-8 byte offsets into `analyzed.text`.
    func clusters(in analyzed: AnalyzedText) -> [EntityCluster] {
        let bytes = Array(analyzed.text.utf8)
        var mentions: [Mention] = []
        var sentences = AnalyzedSentences.sentences(analyzed, bytes: bytes)
        let lowerWords = Self.lowerCaseWords(sentences)
        // A piece names its tokens by range: a copy of every token per piece was ~32 bytes a token
        // more at the peak (58 MB on an 8 MB document of one sentence).
        var pieces: [(sentence: Int, tokens: Range<Int>)] = []
        var traits: [[TokenTraits]] = []
        for sentenceIndex in sentences.indices {
            Self.restoreCase(&sentences[sentenceIndex], lowerWords: lowerWords)
            let count = sentences[sentenceIndex].count
            var from = 0
            while from < count {
                let range = from..<min(count, from + Self.maxSentenceTokens)
                from = range.upperBound
                pieces.append((sentenceIndex, range))
                traits.append(sentences[sentenceIndex][range].map { TokenTraits($0.text) })
            }
        }
        // The whole document at once: each sentence is tagged knowing how the rest writes its words.
        let tagged = tagger.documentSpans(traits)
        traits = []
        for (piece, spans) in zip(pieces, tagged) {
            let tokens = Array(sentences[piece.sentence][piece.tokens])
            mentions += self.mentions(in: tokens, tagged: spans, sentence: piece.sentence, bytes: bytes)
        }
        return MentionMerger.merge(mentions)
    }

    /// Words the document writes in lower case somewhere (not first in a sentence).
    static func lowerCaseWords(_ sentences: [[EntityTokenizer.Token]]) -> Set<String> {
        var words = Set<String>()
        for sentence in sentences {
            for token in sentence.dropFirst() {
                if let first = token.text.unicodeScalars.first, first.properties.isLowercase { words.insert(token.text) }
            }
        }
        return words
    }

    /// In a headline in Title Case or CAPITALS, a word the document also writes in lower case
    /// is an ordinary word ("Discuss", "Future"): lower it for the tagger, so capitals do not make
    /// names of them. Offsets are unchanged.
    static func restoreCase(_ sentence: inout [EntityTokenizer.Token], lowerWords: Set<String>) {
        let words = sentence.filter { $0.text.unicodeScalars.count > 3 && $0.text.unicodeScalars.first?.properties.isAlphabetic == true }
        guard words.count >= 3 else { return }
        let capitalised = words.filter { $0.text.unicodeScalars.first?.properties.isUppercase == true }.count
        guard capitalised * 10 >= words.count * 7 else { return }
        for i in sentence.indices {
            let lower = sentence[i].text.lowercased()
            if lower != sentence[i].text && lowerWords.contains(lower) { sentence[i].text = lower }
        }
    }

    private func mentions(in tokens: [EntityTokenizer.Token], tagged: [TypedSpan], sentence: Int, bytes: [UInt8]) -> [Mention] {
        let words = tokens.map(\.text)
        var spans = ContextCues.withBracketedAcronyms(ContextCues.withOrganisationNames(tagged, words: words), words: words)
        var taken = [Bool](repeating: false, count: tokens.count)
        for span in spans { for i in span.start..<span.end { taken[i] = true } }
        for span in NumericRules.spans(words) where !(span.start..<span.end).contains(where: { taken[$0] }) {
            spans.append(span)
        }
        return spans.compactMap { span in
            var end = span.end
            // "Syria 's" is Syria; a trailing possessive is never part of the name.
            while end > span.start + 1, words[end - 1] == "'s" || words[end - 1] == "'" { end -= 1 }
            let start = tokens[span.start].start
            let stop = tokens[end - 1].end
            guard start < stop, stop <= bytes.count else { return nil }
            let surface = String(decoding: bytes[start..<stop], as: UTF8.self)
            let key = MentionMerger.numericTypes.contains(span.type)
                ? NameKey(tokens: [surface.lowercased()]) : NameKey(tokens: Array(words[span.start..<end]))
            var type = span.type
            var cued = false
            if !MentionMerger.numericTypes.contains(type) && end - span.start <= 3 {
                if span.start > 0, ContextCues.personTitles.contains(words[span.start - 1].lowercased()) {
                    type = "PER"
                    cued = true
                } else if ContextCues.placeCue(after: end, in: words), !(type == "MISC" && ContextCues.looksLikeAdjective(surface)) {
                    type = "LOC"
                    cued = true
                }
            }
            return Mention(text: surface, tokens: Array(words[span.start..<end]), type: type,
                           start: start, end: stop, sentence: sentence, key: key, cued: cued)
        }
    }
}
