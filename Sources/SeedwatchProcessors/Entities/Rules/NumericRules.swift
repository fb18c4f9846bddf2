/// DATE, MONEY and PERCENT spans found by rules over the tokens of a sentence.
///
/// These have a closed form in news text ("28 January 2026", "$5m", "12 per cent"), so rules are
/// precise and need no training data, which CoNLL-2003 does not have for them anyway.
enum NumericRules {
    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.",
        "oct.", "nov.", "dec.",
    ]
    static let weekdays: Set<String> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let currencySymbols: Set<String> = ["$", "£", "€", "¥", "₽", "us$", "usd", "eur", "gbp"]
    static let currencyWords: Set<String> = [
        "dollar", "dollars", "euro", "euros", "pound", "pounds", "sterling", "rouble", "roubles", "ruble",
        "rubles", "yen", "yuan", "francs", "lira", "rupees", "cents", "pence",
    ]
    static let magnitudes: Set<String> = ["million", "billion", "trillion", "thousand", "m", "bn", "mn", "k", "tn"]
    static let yearLeads: Set<String> = ["in", "since", "by", "until", "from", "late", "early", "mid", "of", "during", "before", "after"]

    static func spans(_ tokens: [String]) -> [TypedSpan] {
        let lower = tokens.map { $0.lowercased() }
        var spans: [TypedSpan] = []
        var i = 0
        let n = tokens.count
        while i < n {
            if let end = percent(lower, i) {
                spans.append(TypedSpan(start: i, end: end, type: "PERCENT")); i = end; continue
            }
            if let end = money(lower, i) {
                spans.append(TypedSpan(start: i, end: end, type: "MONEY")); i = end; continue
            }
            if let (start, end) = date(lower, i) {
                spans.append(TypedSpan(start: start, end: end, type: "DATE")); i = end; continue
            }
            i += 1
        }
        return spans
    }

    static func isNumber(_ token: String) -> Bool {
        guard let first = token.unicodeScalars.first, first.value >= 48 && first.value <= 57 else { return false }
        return token.unicodeScalars.allSatisfy { ($0.value >= 48 && $0.value <= 57) || $0 == "." || $0 == "," }
    }

    /// A number with an optional unit glued on ("5m", "1.2bn").
    static func isAmount(_ token: String) -> Bool {
        guard let first = token.unicodeScalars.first, first.value >= 48 && first.value <= 57 else { return false }
        let digits = token.prefix { $0.isNumber || $0 == "." || $0 == "," }
        let rest = token.dropFirst(digits.count)
        return rest.isEmpty || magnitudes.contains(String(rest))
    }

    private static func percent(_ t: [String], _ i: Int) -> Int? {
        guard isNumber(t[i]), i + 1 < t.count else { return nil }
        if t[i + 1] == "%" || t[i + 1] == "percent" { return i + 2 }
        if t[i + 1] == "per", i + 2 < t.count, t[i + 2] == "cent" { return i + 3 }
        return nil
    }

    private static func money(_ t: [String], _ i: Int) -> Int? {
        if currencySymbols.contains(t[i]), i + 1 < t.count, isAmount(t[i + 1]) {
            var end = i + 2
            if end < t.count, magnitudes.contains(t[end]) { end += 1 }
            return end
        }
        if isAmount(t[i]) {
            var end = i + 1
            if end < t.count, magnitudes.contains(t[end]) { end += 1 }
            if end < t.count, currencyWords.contains(t[end]) { return end + 1 }
        }
        return nil
    }

    private static func isYear(_ token: String) -> Bool {
        guard token.count == 4, let value = Int(token) else { return false }
        return value >= 1800 && value <= 2100
    }

    private static func isDay(_ token: String) -> Bool {
        guard let value = Int(token.hasSuffix("th") || token.hasSuffix("st") || token.hasSuffix("nd") || token.hasSuffix("rd") ? String(token.dropLast(2)) : token) else { return false }
        return value >= 1 && value <= 31
    }

    /// Weekday, [day] Month [day][,] [year], Month year, or a year after "in", "since", "late"….
    private static func date(_ t: [String], _ i: Int) -> (Int, Int)? {
        let n = t.count
        if weekdays.contains(t[i]) {
            if i + 2 < n, t[i + 1] == ",", months.contains(t[i + 2]), let (_, end) = extendMonth(t, i + 2) {
                return (i, end)
            }
            return (i, i + 1)
        }
        if isDay(t[i]), i + 1 < n, months.contains(t[i + 1]) {
            var end = i + 2
            if end < n, isYear(t[end]) { end += 1 }
            return (i, end)
        }
        if months.contains(t[i]) {
            // "May" and "March" are words too: require a number next to them.
            let next = i + 1 < n ? t[i + 1] : ""
            if isDay(next) || isYear(next) { return extendMonth(t, i).map { (i, $0.1) } }
            return nil
        }
        if isYear(t[i]), i > 0, yearLeads.contains(t[i - 1]) {
            let start = ["late", "early", "mid"].contains(t[i - 1]) ? i - 1 : i
            return (start, i + 1)
        }
        return nil
    }

    private static func extendMonth(_ t: [String], _ monthIndex: Int) -> (Int, Int)? {
        let n = t.count
        guard monthIndex < n, months.contains(t[monthIndex]) else { return nil }
        var end = monthIndex + 1
        if end < n, isDay(t[end]) { end += 1 }
        if end + 1 < n, t[end] == ",", isYear(t[end + 1]) { end += 2 } else if end < n, isYear(t[end]) { end += 1 }
        return (monthIndex, end)
    }
}
