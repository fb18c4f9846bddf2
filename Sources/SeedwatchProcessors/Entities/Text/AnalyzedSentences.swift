import SeedwatchText

/// The text foundation's sentences and tokens, re-cut the way the tagger was trained (CoNLL-2003).
///
/// The shared tokenizer keeps "Syria's" and "Mr" "." as it finds them; CoNLL writes "Syria" "'s"
/// and "Mr.". Splitting the clitic and gluing known abbreviations back keeps the tagger on the
/// input it learned from. Offsets stay UTF-8 byte offsets into `AnalyzedText.text`.
enum AnalyzedSentences {
    static func sentences(_ analyzed: AnalyzedText, bytes: [UInt8]) -> [[EntityTokenizer.Token]] {
        analyzed.sentences.map { sentence in
            var out: [EntityTokenizer.Token] = []
            for token in analyzed.tokens(of: sentence) {
                guard token.start >= 0, token.end <= bytes.count, token.start < token.end else { continue }
                var end = token.end
                // "Syria's" → "Syria" "'s" (the normaliser has made apostrophes straight).
                if token.kind == .word, end - token.start > 2, bytes[end - 2] == 0x27, bytes[end - 1] | 0x20 == 0x73 {
                    end -= 2
                }
                let text = String(decoding: bytes[token.start..<end], as: UTF8.self)
                // "Mr" "." → "Mr." when the period follows directly.
                if token.kind == .punctuation, bytes[token.start] == 0x2E, let last = out.last, last.end == token.start,
                   !last.text.hasSuffix("."), EntityTokenizer.abbreviations.contains(last.text.lowercased()) {
                    out[out.count - 1].text += "."
                    out[out.count - 1].end = token.end
                    continue
                }
                out.append(EntityTokenizer.Token(text: text, start: token.start, end: end))
                if end < token.end {
                    out.append(EntityTokenizer.Token(text: "'s", start: end, end: token.end))
                }
            }
            return out
        }
    }
}
