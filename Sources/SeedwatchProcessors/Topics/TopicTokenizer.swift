/// Lower-cased word tokens with stop words removed and a light plural stemmer.
///
/// Kept to one file on purpose: it stands in until the shared text foundation (SeedwatchText)
/// lands, and the background model is keyed by the unstemmed words this produces, so swapping the
/// stemmer needs no new model.
enum TopicTokenizer {
    /// Unstemmed lower-cased words: letters and digits, inner apostrophes dropped ("don't" → "dont"),
    /// a possessive "'s" removed, pure numbers and one-letter words skipped.
    static func words(_ text: Substring) -> [String] {
        var surfaces: [String] = []
        return words(text, surfaces: &surfaces, keepSurfaces: false)
    }

    /// The words, and for each the text as written (case kept, a possessive "'s" and a trailing
    /// apostrophe dropped: "Sharaa's" → "Sharaa", "O'Neill" stays): what labels show.
    static func wordsAndSurfaces(_ text: Substring) -> (words: [String], surfaces: [String]) {
        var surfaces: [String] = []
        let words = words(text, surfaces: &surfaces, keepSurfaces: true)
        return (words, surfaces)
    }

    private static func words(_ text: Substring, surfaces: inout [String], keepSurfaces: Bool) -> [String] {
        var out: [String] = []
        out.reserveCapacity(text.utf8.count / 6)
        // The word as written, when surfaces are wanted.
        var written: [UInt8] = []
        // The word's UTF-8 and its scalar count: a `String.UnicodeScalarView` counts and empties
        // in linear, generic code, which cost most of this function.
        var current: [UInt8] = []
        current.reserveCapacity(32)
        var scalars = 0
        var hasLetter = false
        func append(_ scalar: Unicode.Scalar) {
            if scalar.isASCII {
                current.append(UInt8(truncatingIfNeeded: scalar.value))
            } else {
                UTF8.encode(scalar) { current.append($0) }
            }
            scalars += 1
        }
        func keep(_ scalar: Unicode.Scalar) {  // non-ASCII; the ASCII branch appends its byte
            if keepSurfaces { UTF8.encode(scalar) { written.append($0) } }
        }
        func flush() {
            if scalars >= 2 && hasLetter {
                let word = String(decoding: current, as: UTF8.self)
                out.append(word)
                // Most words are written in lower case: the same string, not a second one.
                if keepSurfaces { surfaces.append(written == current ? word : surface(written)) }
            }
            written.removeAll(keepingCapacity: true)
            current.removeAll(keepingCapacity: true)
            scalars = 0
            hasLetter = false
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let v = scalar.value
                if v >= 97 && v <= 122 {
                    append(scalar)
                    if keepSurfaces { written.append(UInt8(truncatingIfNeeded: v)) }
                    hasLetter = true
                } else if v >= 65 && v <= 90, let lower = Unicode.Scalar(v + 32) {
                    append(lower)
                    if keepSurfaces { written.append(UInt8(truncatingIfNeeded: v)) }
                    hasLetter = true
                } else if v >= 48 && v <= 57 {
                    append(scalar)
                    if keepSurfaces { written.append(UInt8(truncatingIfNeeded: v)) }
                } else if v == 39 && scalars > 0 {
                    if keepSurfaces { written.append(39) }
                    continue  // inner apostrophe: "don't" -> "dont", "obama's" -> "obamas" -> "obama"
                } else {
                    flush()
                }
                continue
            }
            let p = scalar.properties
            if p.isAlphabetic {
                for lower in p.lowercaseMapping.unicodeScalars { append(lower) }
                keep(scalar)
                hasLetter = true
            } else if p.numericType != nil {
                append(scalar)
                keep(scalar)
            } else if scalar == "\u{2019}" && scalars > 0 {
                keep(scalar)
                continue
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    /// A word as written without a possessive "'s" or trailing apostrophes.
    private static func surface(_ written: [UInt8]) -> String {
        var end = written.count
        func apostrophe(before index: Int) -> Int? {
            if index >= 1 && written[index - 1] == 39 { return index - 1 }
            // U+2019 is E2 80 99 in UTF-8.
            if index >= 3 && written[index - 3] == 0xE2 && written[index - 2] == 0x80 && written[index - 1] == 0x99 { return index - 3 }
            return nil
        }
        if end >= 2, written[end - 1] == 115 || written[end - 1] == 83, let start = apostrophe(before: end - 1) { end = start }
        while let start = apostrophe(before: end) { end = start }
        return String(decoding: written[..<end], as: UTF8.self)
    }

    /// The index term for a word: nil for stop words, else the light stem.
    static func term(_ word: String) -> String? {
        if stopWords.contains(word) { return nil }
        return stem(word)
    }

    /// Plural and possessive stripping only (an "S-stemmer"): aggressive stemming merges unrelated
    /// headline words, and story detection lives on exact names.
    static func stem(_ word: String) -> String {
        let u = word.utf8
        guard u.count > 3, word.hasSuffix("s") else { return word }
        if word.hasSuffix("ies") && !word.hasSuffix("eies") && !word.hasSuffix("aies") {
            return String(word.dropLast(3)) + "y"
        }
        if word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") || word.hasSuffix("ous") {
            return word
        }
        if word.hasSuffix("sses") || word.hasSuffix("shes") || word.hasSuffix("ches") || word.hasSuffix("xes") {
            return String(word.dropLast(2))
        }
        return String(word.dropLast())
    }

    static let stopWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
        "himself", "his", "how", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
        "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
        "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
        "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours", "yourself", "yourselves", "said", "says", "say", "mr", "mrs", "ms", "new",
        "one", "two", "year", "years", "told", "like", "get", "got", "make", "made", "many", "much",
        "may", "might", "must", "shall", "us", "well", "back", "still", "even", "way", "since", "week",
        "last", "first", "next", "time", "people", "around", "another", "according", "however", "take",
        "going", "go", "know", "see", "set", "put", "come", "came", "want", "use", "used", "day", "days",
        "dont", "didnt", "doesnt", "isnt", "wasnt", "cant", "wont", "thats", "theres", "youre", "ive",
        "im", "hes", "shes", "theyre", "weve", "video", "update", "report", "news", "via", "amp",
    ]
}
