import SeedwatchCore

/// What `seedwatch process` prints per file for a person: title, summary, entities by type, topic
/// and alerts, warnings. Read from the result's JSON (the outbox schema), so it shows what any
/// reader of the outbox would find, whichever processors produced it.
enum ReadableReport {
    /// Lines are wrapped to this many columns.
    static let width = 96
    /// Entities shown per type; the rest are counted.
    static let entitiesPerType = 8

    /// Entity types in the order shown, with the word a person reads.
    static let entityTypes: [(type: String, heading: String)] = [
        ("PERSON", "people"), ("ORGANIZATION", "organisations"), ("LOCATION", "places"), ("MISC", "other names"),
        ("DATE", "dates"), ("MONEY", "money"), ("PERCENT", "percentages"),
    ]

    /// The processors whose results the report shows; others are named at the end.
    static let shown: Set<String> = ["text", "summary", "entities", "topics", "stats"]

    static func render(_ record: JSONValue, shown name: String) -> String {
        var lines = [header(record, name: name)]
        if record["status"]?.stringValue == "duplicate" {
            lines.append("  duplicate of \(record["duplicate_of"]?.stringValue ?? "?"): not processed again")
            return lines.joined(separator: "\n") + "\n\n"
        }
        let results = record["results"]
        if let title = results?["text"]?["title"]?.stringValue { lines += field("title", [title]) }
        if let summary = results?["summary"] { lines += summaryLines(summary) }
        if let entities = results?["entities"]?["entities"]?.arrayValue { lines += entityLines(entities) }
        if let topics = results?["topics"] { lines += topicLines(topics) }
        if let stats = results?["stats"] { lines += statsLines(stats) }
        lines += warningLines(record)
        if case let .object(members)? = results {
            let others = members.keys.filter { !shown.contains($0) }.sorted()
            if !others.isEmpty { lines += field("also", [others.joined(separator: ", ") + " (see --json)"]) }
        }
        // A blank line after each report, so the files stand apart.
        return lines.joined(separator: "\n") + "\n\n"
    }

    static func header(_ record: JSONValue, name: String) -> String {
        let size = record["source"]?["size"]?.intValue.map { "\($0) bytes" }
        let details = [size, record["format"]?.stringValue, record["encoding"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        let name = printable(name)
        return details.isEmpty ? name : "\(name) (\(details.joined(separator: ", ")))"
    }

    static func summaryLines(_ summary: JSONValue) -> [String] {
        let sentences = summary["sentences"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
        var lines: [String]
        if sentences.isEmpty {
            lines = field("summary", ["(none\(summary["reason"]?.stringValue.map { ": \($0)" } ?? ""))"])
        } else {
            lines = field("summary", sentences.map { "• " + $0 }, continuation: "  ")
        }
        let keyphrases = summary["keyphrases"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
        if !keyphrases.isEmpty { lines += field("keyphrases", [keyphrases.prefix(8).joined(separator: ", ")]) }
        return lines
    }

    static func entityLines(_ entities: [JSONValue]) -> [String] {
        guard !entities.isEmpty else { return field("entities", ["(none)"]) }
        var lines = ["  entities:"]
        let known = Set(entityTypes.map(\.type))
        let unknownTypes = Set(entities.compactMap { $0["type"]?.stringValue }).subtracting(known).sorted()
        for (type, heading) in entityTypes + unknownTypes.map({ ($0, $0.lowercased()) }) {
            let ofType = entities.filter { $0["type"]?.stringValue == type }
            guard !ofType.isEmpty else { continue }
            var names = ofType.prefix(entitiesPerType).map(entityName)
            if ofType.count > entitiesPerType { names.append("and \(ofType.count - entitiesPerType) more") }
            lines += wrap(names.joined(separator: "; "), first: "    " + pad(heading + ":", 15), rest: String(repeating: " ", count: 19))
        }
        return lines
    }

    /// "Name (also Alias, Alias)".
    static func entityName(_ entity: JSONValue) -> String {
        let name = entity["name"]?.stringValue ?? "?"
        let aliases = entity["aliases"]?.arrayValue?.compactMap(\.stringValue).filter { $0 != name } ?? []
        return aliases.isEmpty ? name : "\(name) (also \(aliases.joined(separator: ", ")))"
    }

    static func topicLines(_ topics: JSONValue) -> [String] {
        guard let topic = topics["topic"]?.stringValue else { return [] }
        var text = topic
        if let label = topics["label"]?.stringValue, !label.isEmpty { text += ": " + label }
        if let original = topics["near_duplicate_of"]?.stringValue { text += " (near-duplicate of \(original))" }
        var lines = field("topic", [text])
        let alerts = topics["alerts"]?.arrayValue ?? []
        let described = alerts.map { alert -> String in
            let alertClass = alert["class"]?.stringValue ?? "alert"
            let subject = [alert["topic_id"]?.stringValue, alert["topic_label"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            let previous = alert["previous_topic_id"]?.stringValue.map { alertClass == "topic_shift" ? " (was \($0))" : "" } ?? ""
            return "\(alertClass), \(subject)\(previous)"
        }
        lines += field("alerts", described.isEmpty ? ["none"] : described)
        return lines
    }

    static func statsLines(_ stats: JSONValue) -> [String] {
        var parts: [String] = []
        if let words = stats["words"]?.intValue { parts.append("\(words) words") }
        if let sentences = stats["sentences"]?.intValue { parts.append("\(sentences) sentences") }
        if let seconds = stats["reading_time_seconds"]?.intValue { parts.append(seconds < 60 ? "\(seconds) s to read" : "\((seconds + 30) / 60) min to read") }
        return parts.isEmpty ? [] : field("length", [parts.joined(separator: ", ")])
    }

    static func warningLines(_ record: JSONValue) -> [String] {
        var warnings = record["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if case let .object(errors)? = record["errors"] {
            for name in errors.keys.sorted() {
                let code = errors[name]?["code"]?.stringValue ?? "error"
                let message = errors[name]?["message"]?.stringValue ?? ""
                warnings.append("\(name) failed (\(code)): \(message)")
            }
        }
        return warnings.isEmpty ? [] : field("warnings", warnings)
    }

    /// `label:` in a column, then each item on its own line(s), wrapped under the first.
    static func field(_ label: String, _ items: [String], continuation: String = "") -> [String] {
        var lines: [String] = []
        let indent = String(repeating: " ", count: 15)
        for (index, item) in items.enumerated() {
            let first = index == 0 ? "  " + pad(label + ":", 13) : indent
            lines += wrap(item, first: first, rest: indent + continuation)
        }
        return lines
    }

    /// Control and bidirectional-override characters become U+FFFD.
    static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            out.append(isControl && scalar != "\n" && scalar != "\t" ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// Words wrapped to `width` columns; a word longer than a line stays whole. What a
    /// document says is made `printable` first: it must not be able to drive the terminal.
    static func wrap(_ text: String, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var lineIsEmpty = true
        for word in printable(text).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            if !lineIsEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                lineIsEmpty = true
            }
            line += (lineIsEmpty ? "" : " ") + word
            lineIsEmpty = false
        }
        lines.append(line)
        return lines
    }
}
