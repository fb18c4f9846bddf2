/// Recognises a line that is only a date or time ("February 10, 2025", "2025-01-28 10:30 GMT").
enum DatePattern {
    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    static let weekdays: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
    ]
    static let fillers: Set<String> = [
        "am", "pm", "gmt", "utc", "bst", "est", "edt", "cet", "at", "updated", "published", "posted", "on", "last",
        "ago", "hours", "hour", "minutes", "minute", "mins", "days", "day", "weeks", "week", "st", "nd", "rd", "th",
        "today", "yesterday", "by",
    ]

    /// True when every word is a date part and at least one names a month, weekday or "ago", or
    /// the line is an ISO date.
    static func isStandaloneDate(_ words: [String]) -> Bool {
        guard !words.isEmpty, words.count <= 10 else { return false }
        var anchored = false
        for word in words {
            if months.contains(word) || weekdays.contains(word) || word == "ago" {
                anchored = true
            } else if isISODate(word) {
                anchored = true
            } else if fillers.contains(word) || isDayOrYear(word) {
                continue
            } else {
                return false
            }
        }
        return anchored
    }

    /// "10", "2025", "3rd", "10:30" (the tokenizer splits "10:30" into "10", ":" and "30").
    static func isDayOrYear(_ word: String) -> Bool {
        let digits = word.utf8.prefix(while: { $0 >= 0x30 && $0 <= 0x39 })
        guard !digits.isEmpty, digits.count <= 4 else { return false }
        let rest = String(decoding: word.utf8.dropFirst(digits.count), as: UTF8.self)
        return rest.isEmpty || rest == "st" || rest == "nd" || rest == "rd" || rest == "th"
    }

    /// "2025-01-28" (kept whole by the tokenizer) or "28-01-2025".
    static func isISODate(_ word: String) -> Bool {
        let parts = word.split(separator: "-")
        guard parts.count == 3 else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.count <= 4 && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }
}
