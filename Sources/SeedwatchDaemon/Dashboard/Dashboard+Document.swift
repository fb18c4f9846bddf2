import FoundationEssentials
import SeedwatchCore

extension Dashboard {
    /// Entity types in the order a reader looks for them; others follow by name.
    static let entityTypes = ["PERSON", "ORGANIZATION", "LOCATION", "MISC", "DATE", "MONEY", "PERCENT"]

    /// A result shown for people: title, summary, entities by type with their aliases, topic,
    /// near-duplicates, per-processor timings, and the raw JSON one click away.
    func documentPage(rawID: String) -> ControlResponse {
        guard let id = ResultFile.decodedID(rawID) else { return HTML.problem(400, title: "Not a document id", message: rawID) }
        let bytes: [UInt8]
        switch ResultFile.read(id: id, outbox: settings().outbox, index: index) {
        case let .success(read): bytes = read
        case .failure(.missing): return HTML.problem(404, title: "No such document", message: "There is no result \(id) (yet).")
        case .failure(.unreadable): return HTML.problem(500, title: "Cannot read the result", message: id)
        case let .failure(.stateFailed(message)): return HTML.problem(500, title: "Cannot read the result", message: "\(id): \(message)")
        }
        guard let result = JSONValue.parse(bytes) else { return HTML.problem(500, title: "The result is not JSON", message: id) }
        let results = result["results"]
        let source = result["source"]
        let path = source?["relative_path"]?.stringValue ?? id
        let title = results?["text"]?["title"]?.stringValue ?? path
        var body = "<h1 id=\"document-title\">\(HTML.escape(title))</h1>\n"
        body += "<p><a href=\"/documents/\(HTML.urlComponent(id))\" id=\"raw-json\">Raw JSON</a></p>\n<dl class=\"facts\">\n"
        body += "<dt>File</dt><dd>\(HTML.escape(path))</dd>\n"
        body += "<dt>Status</dt><dd>\(HTML.escape(result["status"]?.stringValue ?? ""))</dd>\n"
        body += "<dt>Written</dt><dd>\(HTML.escape(result["completed_at"]?.stringValue ?? ""))</dd>\n"
        if let original = result["duplicate_of"]?.stringValue {
            body += "<dt>Duplicate of</dt><dd><a href=\"\(HTML.documentLink(original))\">\(HTML.escape(original))</a></dd>\n"
        }
        for warning in result["warnings"]?.arrayValue ?? [] {
            body += "<dt>Warning</dt><dd>\(HTML.escape(warning.stringValue ?? ""))</dd>\n"
        }
        body += "</dl>\n"
        body += summarySection(results?["summary"])
        body += entitiesSection(results?["entities"]?["entities"]?.arrayValue ?? [])
        body += topicSection(results?["topics"], path: path, sha256: source?["sha256"]?.stringValue)
        body += timingsSection(result["processors"], errors: result["errors"])
        return HTML.page(title: title, section: nil, body: body)
    }

    private func summarySection(_ summary: JSONValue?) -> String {
        var body = "<h2>Summary</h2>\n"
        let sentences = summary?["sentences"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
        if sentences.isEmpty {
            body += "<p class=\"muted\">\(HTML.escape(summary?["reason"]?.stringValue ?? "No summary."))</p>\n"
        } else {
            body += sentences.map { "<p>\(HTML.escape($0))</p>\n" }.joined()
        }
        let phrases = summary?["keyphrases"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
        if !phrases.isEmpty { body += "<p class=\"muted\">Keyphrases: \(phrases.map(HTML.escape).joined(separator: ", "))</p>\n" }
        return body
    }

    private func entitiesSection(_ entities: [JSONValue]) -> String {
        var body = "<h2>Entities</h2>\n"
        guard !entities.isEmpty else { return body + "<p class=\"muted\">None found.</p>\n" }
        var byType: [String: [JSONValue]] = [:]
        for entity in entities { byType[entity["type"]?.stringValue ?? "OTHER", default: []].append(entity) }
        let order = Self.entityTypes.filter { byType[$0] != nil } + byType.keys.filter { !Self.entityTypes.contains($0) }.sorted()
        for type in order {
            body += "<h3>\(HTML.escape(type.capitalized))</h3>\n<ul class=\"entities\">\n"
            for entity in byType[type] ?? [] {
                let name = entity["name"]?.stringValue ?? ""
                let aliases = entity["aliases"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let count = entity["count"]?.intValue ?? 0
                body += "<li>\(HTML.escape(name)) <span class=\"muted\">×\(count)"
                if !aliases.isEmpty { body += "; also \(aliases.map(HTML.escape).joined(separator: ", "))" }
                body += "</span></li>\n"
            }
            body += "</ul>\n"
        }
        return body
    }

    private func topicSection(_ topics: JSONValue?, path: String, sha256: String?) -> String {
        var body = "<h2>Topic</h2>\n"
        if let topics, let topic = topics["topic"]?.stringValue {
            body += "<dl class=\"facts\">\n<dt>Story</dt><dd>\(HTML.escape(topic)): \(HTML.escape(topics["label"]?.stringValue ?? ""))</dd>\n"
            if let similarity = topics["similarity"]?.doubleValue { body += "<dt>Similarity</dt><dd>\(CFormat.string("%.3f", similarity))</dd>\n" }
            if let theme = topics["theme"]?.stringValue { body += "<dt>Theme</dt><dd>\(HTML.escape(theme))</dd>\n" }
            for alert in topics["alerts"]?.arrayValue ?? [] {
                let kind = HTML.escape(alert["class"]?.stringValue ?? "")
                body += "<dt>Alert</dt><dd><span class=\"badge \(kind)\">\(kind.replacing("_", with: " "))</span> "
                body += "\(HTML.escape(alert["topic_id"]?.stringValue ?? "")): \(HTML.escape(alert["topic_label"]?.stringValue ?? ""))</dd>\n"
            }
            body += "</dl>\n"
        } else {
            body += "<p class=\"muted\">No topics result.</p>\n"
        }
        body += "<h2>Near-duplicates</h2>\n"
        var items: [String] = []
        if let near = topics?["near_duplicate_of"]?.stringValue {
            items.append("<li>Nearly the same as <a href=\"\(HTML.documentLink(near))\">\(HTML.escape(near))</a></li>")
        }
        if let sha256, let copies = try? ledger.duplicates(of: path, sha256: sha256) {
            for copy in copies {
                let target = copy.resultID.map { "<a href=\"\(HTML.documentLink($0))\">\(HTML.escape(copy.path))</a>" } ?? HTML.escape(copy.path)
                items.append("<li>Exact copy: \(target)</li>")
            }
        }
        body += items.isEmpty ? "<p class=\"muted\">None.</p>\n" : "<ul>\n" + items.joined(separator: "\n") + "\n</ul>\n"
        return body
    }

    private func timingsSection(_ processors: JSONValue?, errors: JSONValue?) -> String {
        guard case let .object(byName)? = processors, !byName.isEmpty else { return "" }
        var body = "<h2>Processors</h2>\n<table><thead><tr><th>Processor</th><th>Status</th><th>Time (ms)</th><th>Error</th></tr></thead><tbody>\n"
        for (name, summary) in byName.sorted(by: { $0.key < $1.key }) {
            let milliseconds = summary["duration_ms"]?.doubleValue.map { CFormat.string("%.3f", $0) } ?? ""
            let error = errors?[name].map { "\($0["code"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")" } ?? ""
            body += "<tr><td>\(HTML.escape(name))</td><td>\(HTML.escape(summary["status"]?.stringValue ?? ""))</td>"
            body += "<td class=\"number\">\(milliseconds)</td><td>\(HTML.escape(error))</td></tr>\n"
        }
        return body + "</tbody></table>\n"
    }
}
