/// Words after which a "." does not end a sentence, and words that reliably open one.
enum Abbreviations {
    /// Lower-cased, without the dot. Only words that precede a capitalised word mid-sentence matter
    /// (a lower-case next word never starts a sentence), so company suffixes such as "Inc." are left
    /// out: "… bought Acme Inc. The deal …" should split.
    static let list: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "maj", "capt",
        "cpt", "sgt", "cmdr", "adm", "brig", "rev", "gov", "sen", "rep", "pres", "supt", "insp", "hon",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "tues", "thur", "thurs", "vs", "etc", "approx", "fig", "vol", "cf", "al", "ave", "blvd",
        "dept", "univ", "assn",
    ]

    static func isAbbreviation(_ word: String) -> Bool {
        list.contains(word.lowercased())
    }

    /// Capitalised words that almost always start a sentence: used after "U.S." and similar.
    static let sentenceOpeners: Set<String> = [
        "The", "It", "He", "She", "They", "We", "I", "But", "This", "That", "These", "Those", "In", "A",
        "An", "And", "However", "Its", "His", "Her", "Their", "Our", "There", "So", "Yet", "Meanwhile",
        "When", "While", "If", "As", "At", "On", "For", "After", "Before", "Some", "Many", "Most",
    ]
}
