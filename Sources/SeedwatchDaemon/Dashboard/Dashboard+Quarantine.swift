import FoundationEssentials
import Glibc
import SeedwatchCore

extension Dashboard {
    /// Records read per page: the quarantine folder is small unless something is badly wrong.
    static let quarantineLimit = 2000

    /// The quarantine records, newest first, each with a button that posts to `/reprocess`.
    func quarantinePage(queued: String?, failed: String?) -> ControlResponse {
        let records = quarantineRecords()
        var body = "<h1>Quarantine</h1>\n"
        if let queued { body += "<p class=\"notice\" id=\"queued\">Queued \(HTML.escape(queued)) to be processed again.</p>\n" }
        if let failed { body += "<p class=\"notice\" id=\"failed\">Could not reprocess: \(HTML.escape(failed))</p>\n" }
        if records.isEmpty {
            body += "<p>No quarantined files.</p>\n"
        } else {
            body += "<p class=\"muted\">Files that could not be processed, newest first. Fix the cause, or press Reprocess to try again.</p>\n"
            body += "<table><thead><tr><th>File</th><th>Code</th><th>Message</th><th>Advice</th><th>Time</th><th></th></tr></thead><tbody>\n"
            for record in records {
                let path = record["relative_path"]?.stringValue ?? ""
                body += "<tr class=\"quarantined\"><td>\(HTML.escape(path))</td><td><code>\(HTML.escape(record["code"]?.stringValue ?? ""))</code></td>"
                body += "<td>\(HTML.escape(record["message"]?.stringValue ?? ""))</td><td>\(HTML.escape(record["advice"]?.stringValue ?? ""))</td>"
                body += "<td class=\"time\">\(HTML.escape(record["time"]?.stringValue ?? ""))</td>"
                body += "<td><form method=\"post\" action=\"/reprocess\"><input type=\"hidden\" name=\"path\" value=\"\(HTML.escape(path))\">"
                body += "<button type=\"submit\">Reprocess</button></form></td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        return HTML.page(title: "Quarantine", section: .quarantine, body: body)
    }

    /// The records in the quarantine folder (`*.error.json`), newest first.
    func quarantineRecords() -> [JSONValue] {
        let folder = settings().quarantine
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var records: [JSONValue] = []
        for name in names.filter({ $0.hasSuffix(".error.json") }).sorted().prefix(Self.quarantineLimit) {
            let fd = open(folder + "/" + name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if let bytes = PseudoFile.readToEnd(fd), let record = JSONValue.parse(bytes) { records.append(record) }
        }
        return records.sorted { ($0["time"]?.stringValue ?? "") > ($1["time"]?.stringValue ?? "") }
    }
}
