/// One name, one type, in one document: the tagger's spans made consistent across its sentences.
///
/// A story names a team, a town or a player many times, and the tagger, seeing one sentence at a
/// time, does not always agree with itself ("Syria" a place in one line of a results table, an
/// organisation in the next). Each name (its lower-case words) takes the type the document gives it
/// most often, when one type leads; a capitalised run of words tagged as a name elsewhere in the
/// document, left untagged here, becomes that name too; a person's surname alone is that person.
/// Chosen on CoNLL-2003 dev (docs/ENTITIES.md).
enum DocumentConsistency {
    /// The longest name looked for when filling in (the gazetteer's bound too).
    static let maxLength = 6

    static func apply(_ spans: inout [[TypedSpan]], traits: [[TokenTraits]]) {
        var votes: [UInt64: [String: Int]] = [:]
        for (sentence, sentenceSpans) in zip(traits, spans) {
            for span in sentenceSpans {
                votes[key(sentence, span.start, span.end), default: [:]][span.type, default: 0] += 1
            }
        }
        var majority: [UInt64: String] = [:]
        for (name, counts) in votes {
            // Ties have no majority; ties between types broken by name would depend on nothing in the text.
            let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            if ranked.count == 1 || ranked[0].value > ranked[1].value { majority[name] = ranked[0].key }
        }
        guard !majority.isEmpty else { return }
        for s in spans.indices {
            let sentence = traits[s]
            var taken = [Bool](repeating: false, count: sentence.count)
            for k in spans[s].indices {
                let span = spans[s][k]
                for i in span.start..<span.end { taken[i] = true }
                if let type = majority[key(sentence, span.start, span.end)] { spans[s][k].type = type }
            }
            var added: [TypedSpan] = []
            var j = 0
            while j < sentence.count {
                guard !taken[j], sentence[j].flags.contains(.initialUpper) else {
                    j += 1
                    continue
                }
                var found: TypedSpan?
                var h = keySeed
                var length = 0
                // Longest match: keep the last hit while the run stays untagged.
                while length < maxLength, j + length < sentence.count, !taken[j + length] {
                    h = FeatureHash.combine(h, sentence[j + length].lower)
                    length += 1
                    if let type = majority[h] { found = TypedSpan(start: j, end: j + length, type: type) }
                }
                if let found {
                    added.append(found)
                    j = found.end
                } else {
                    j += 1
                }
            }
            if !added.isEmpty { spans[s] = (spans[s] + added).sorted { $0.start < $1.start } }
        }
        surnames(&spans, traits: traits)
    }

    /// A word that ends a person's full name in the document ("Brian Lara") is that person when it
    /// stands alone, capitalised ("Lara"), whatever the tagger made of it there.
    static func surnames(_ spans: inout [[TypedSpan]], traits: [[TokenTraits]]) {
        var surnames = Set<UInt64>()
        for (sentence, sentenceSpans) in zip(traits, spans) {
            for span in sentenceSpans where span.type == person && span.end - span.start >= 2 {
                surnames.insert(sentence[span.end - 1].lower)
            }
        }
        guard !surnames.isEmpty else { return }
        for s in spans.indices {
            let sentence = traits[s]
            var taken = [Bool](repeating: false, count: sentence.count)
            for k in spans[s].indices {
                let span = spans[s][k]
                for i in span.start..<span.end { taken[i] = true }
                if span.end - span.start == 1, span.type != person, surnames.contains(sentence[span.start].lower) {
                    spans[s][k].type = person
                }
            }
            var added: [TypedSpan] = []
            for i in sentence.indices where !taken[i] && sentence[i].flags.contains(.initialUpper) && surnames.contains(sentence[i].lower) {
                added.append(TypedSpan(start: i, end: i + 1, type: person))
            }
            if !added.isEmpty { spans[s] = (spans[s] + added).sorted { $0.start < $1.start } }
        }
    }

    /// CoNLL-2003's type for people.
    static let person = "PER"

    private static let keySeed: UInt64 = 0x646f_635f_6e61_6d65

    private static func key(_ sentence: [TokenTraits], _ start: Int, _ end: Int) -> UInt64 {
        var h = keySeed
        for i in start..<end { h = FeatureHash.combine(h, sentence[i].lower) }
        return h
    }
}
