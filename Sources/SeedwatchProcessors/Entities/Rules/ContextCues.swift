/// What the words around a name say about it: titles before people, "air base" after places,
/// "Forces" or "Ministry" at the end of an organisation's name.
///
/// The tagger sees three words either side and was trained on 1996 sports and business news; these
/// cues are unambiguous in news text and fix its commonest slips on current stories.
enum ContextCues {
    /// Words before a name that make it a person: "President Ahmad al-Sharaa", "spokesman Dmitry Peskov".
    static let personTitles: Set<String> = [
        "president", "minister", "spokesman", "spokesperson", "spokeswoman", "leader", "mr", "mr.", "mrs", "mrs.",
        "ms", "ms.", "dr", "dr.", "king", "queen", "prince", "senator", "governor", "general", "gen.", "chancellor",
        "secretary", "premier", "ambassador", "envoy", "chief", "chairman", "ceo", "director", "judge", "counterpart",
    ]

    /// Words after a name that make it a place: "Hmeimim air base", "Latakia province".
    static let placeCues: Set<String> = [
        "province", "governorate", "airbase", "airport", "region", "district", "county", "village", "valley",
        "river", "island", "peninsula", "strait", "base",
    ]

    static func placeCue(after end: Int, in words: [String]) -> Bool {
        guard end < words.count else { return false }
        let next = words[end].lowercased()
        if placeCues.contains(next) { return true }
        // "air base", "naval base", "military base"
        return end + 1 < words.count && ["air", "naval", "military"].contains(next) && words[end + 1].lowercased() == "base"
    }

    /// "Syrian", "Israeli", "Kurdish": nationality words, which a following "base" or "region" does not make places.
    static func looksLikeAdjective(_ text: String) -> Bool {
        let lower = text.lowercased()
        return ["an", "ish", "ese", "i"].contains { lower.hasSuffix($0) }
    }

    /// Last words of organisation names.
    static let organisationHeads: Set<String> = [
        "forces", "force", "army", "party", "front", "movement", "council", "committee", "ministry",
        "commission", "agency", "union", "bank", "court", "assembly", "organization", "organisation",
        "corporation", "company", "group", "federation", "association", "institute", "university",
        "parliament", "brigades", "guard", "police", "authority", "department", "office", "fund",
    ]
    static let connectors: Set<String> = ["of", "for", "and", "the", "de", "&"]

    /// A run of two or more capitalised words ending in an organisation word ("Syrian Democratic
    /// Forces") is one organisation, replacing the spans it overlaps when the tagger cut it up.
    static func withOrganisationNames(_ spans: [TypedSpan], words: [String]) -> [TypedSpan] {
        var runs: [TypedSpan] = []
        var i = 0
        while i < words.count {
            guard isCapitalised(words[i]), words[i].lowercased() != "the" else { i += 1; continue }
            var end = i + 1
            var lastCapital = i
            while end < words.count {
                if isCapitalised(words[end]) { lastCapital = end; end += 1; continue }
                if connectors.contains(words[end]) && end + 1 < words.count && isCapitalised(words[end + 1]) { end += 1; continue }
                break
            }
            let stop = lastCapital + 1
            // Only where the tagger cut the name up: a span it found whole keeps its type
            // ("the Soviet Union" stays a place).
            if stop - i >= 2, organisationHeads.contains(words[lastCapital].lowercased()),
               !spans.contains(where: { $0.start == i && $0.end == stop }) {
                runs.append(TypedSpan(start: i, end: stop, type: "ORG"))
            }
            i = max(stop, i + 1)
        }
        guard !runs.isEmpty else { return spans }
        let kept = spans.filter { span in !runs.contains { $0.start < span.end && span.start < $0.end } }
        return (kept + runs).sorted { $0.start < $1.start }
    }

    /// "Syrian", "Bosnia-Herzegovina"; not "Kurdish-led" or "Moscow-based", which describe.
    private static func isCapitalised(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, first.properties.isUppercase, word.unicodeScalars.count > 1 else {
            return false
        }
        guard let hyphen = word.lastIndex(of: "-") else { return true }
        return word[word.index(after: hyphen)...].unicodeScalars.first?.properties.isUppercase ?? false
    }

    /// "Hayat Tahrir al-Sham (HTS)": an acronym in brackets right after a name, made of its
    /// initials, is that name, whether or not the tagger marked it.
    static func withBracketedAcronyms(_ spans: [TypedSpan], words: [String]) -> [TypedSpan] {
        var taken = [Bool](repeating: false, count: words.count)
        for span in spans { for i in span.start..<span.end { taken[i] = true } }
        var added: [TypedSpan] = []
        for span in spans where span.end + 2 < words.count && words[span.end] == "(" && words[span.end + 2] == ")" {
            let acronym = span.end + 1
            guard !taken[acronym], NameKey.looksLikeAcronym(words[acronym]),
                  let initials = NameKey(tokens: Array(words[span.start..<span.end])).acronym,
                  NameKey(tokens: [words[acronym]]).bareWord == initials else { continue }
            added.append(TypedSpan(start: acronym, end: acronym + 1, type: span.type))
        }
        return added.isEmpty ? spans : (spans + added).sorted { $0.start < $1.start }
    }
}
