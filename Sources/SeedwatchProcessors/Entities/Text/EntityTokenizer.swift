/// Splits raw text into sentences of tokens the way CoNLL-2003 tokenises news: the tokenizer of
/// the unlabelled training text (`train-ner --unlabeled`).
///
/// Documents go through the text foundation instead (`AnalyzedSentences`). This one stays for
/// training because the shipped model's word lexicon was built with it: cutting the BBC text with
/// the shared tokenizer moves the clusters and gave a worse model on dev (91.55 against 91.77).
/// One pass over the scalars; offsets count Unicode scalars, end exclusive.
struct EntityTokenizer: Sendable {
    struct Token: Sendable, Equatable {
        /// The token as the tagger sees it (curly apostrophes made straight).
        var text: String
        var start: Int
        var end: Int
    }

    /// A sentence ends at a line break or at `.`, `!`, `?` not part of a known abbreviation.
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "jr", "sr", "inc", "corp", "ltd", "co",
        "gov", "sen", "rep", "prof", "vs", "mt", "ft", "no", "jan", "feb", "mar", "apr", "jun", "jul",
        "aug", "sep", "sept", "oct", "nov", "dec", "capt", "maj", "adm", "pres", "rev", "hon", "messrs",
    ]

    static func sentences(_ text: String) -> [[Token]] {
        let scalars = Array(text.unicodeScalars)
        var sentences: [[Token]] = []
        var current: [Token] = []
        var i = 0
        let n = scalars.count
        func flush() {
            if !current.isEmpty { sentences.append(current) }
            current = []
        }
        while i < n {
            let c = scalars[i]
            if c == "\n" || c == "\r" || c == "\u{2029}" || c == "\u{2028}" {
                flush()
                i += 1
                continue
            }
            if c.properties.isWhitespace || c.properties.generalCategory == .format {
                i += 1
                continue
            }
            if isWordScalar(c) {
                var j = i + 1
                while j < n {
                    let d = scalars[j]
                    if isWordScalar(d) { j += 1; continue }
                    // Joiners inside a word: hyphen, digit separators, letter-dot-letter (U.S.).
                    if j + 1 < n, isWordScalar(scalars[j + 1]) {
                        if d == "-" || d == "\u{2010}" || d == "&" && isUpper(scalars[j - 1]) && isUpper(scalars[j + 1]) {
                            j += 2; continue
                        }
                        if (d == "." || d == ",") && isDigit(scalars[j - 1]) && isDigit(scalars[j + 1]) { j += 2; continue }
                        if d == "." && isLetter(scalars[j + 1]) && j + 2 <= n && (j + 2 == n || !isLetter(scalars[j + 2]))
                            && isLetter(scalars[j - 1]) && (j - 1 == i || !isLetter(scalars[j - 2])) {
                            j += 2; continue
                        }
                    }
                    break
                }
                // Clitics: Syria's → Syria 's (as in CoNLL); n't stays with nothing special.
                let end = j
                var clitic: Int?
                if j + 1 < n, scalars[j] == "'" || scalars[j] == "\u{2019}", scalars[j + 1] == "s" || scalars[j + 1] == "S",
                   j + 2 == n || !isWordScalar(scalars[j + 2]) {
                    clitic = j
                    j += 2
                }
                // Abbreviations and initials keep their period: U.S., Mr., J.
                var word = String(String.UnicodeScalarView(scalars[i..<end]))
                var tokenEnd = end
                if clitic == nil, end < n, scalars[end] == ".", isAbbreviation(word) {
                    word += "."
                    tokenEnd = end + 1
                }
                current.append(Token(text: word, start: i, end: tokenEnd))
                if let clitic {
                    current.append(Token(text: "'s", start: clitic, end: j))
                }
                i = max(tokenEnd, j)
                continue
            }
            // Punctuation: one token per scalar; sentence-final marks close the sentence.
            let straight: String = c == "\u{2019}" || c == "\u{2018}" ? "'" : (c == "\u{201C}" || c == "\u{201D}" ? "\"" : String(c))
            current.append(Token(text: straight, start: i, end: i + 1))
            if c == "." || c == "!" || c == "?" {
                var k = i + 1
                while k < n, scalars[k] == "\"" || scalars[k] == "\u{201D}" || scalars[k] == "'" || scalars[k] == ")" {
                    current.append(Token(text: String(scalars[k]), start: k, end: k + 1))
                    k += 1
                }
                if k == n || scalars[k].properties.isWhitespace { flush() }
                i = k
                continue
            }
            i += 1
        }
        flush()
        return sentences
    }

    private static func isAbbreviation(_ word: String) -> Bool {
        let scalars = word.unicodeScalars
        if scalars.count == 1, let first = scalars.first, isUpper(first) { return true }  // an initial
        if word.contains(".") { return true }  // U.S → U.S.
        return scalars.count <= 5 && abbreviations.contains(word.lowercased())
    }

    @inline(__always) static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        if c.value < 128 {
            let v = c.value
            return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
        }
        let p = c.properties
        return p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
    @inline(__always) static func isLetter(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? ((c.value | 32) >= 97 && (c.value | 32) <= 122) : c.properties.isAlphabetic
    }
    @inline(__always) static func isUpper(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? (c.value >= 65 && c.value <= 90) : c.properties.isUppercase
    }
}
