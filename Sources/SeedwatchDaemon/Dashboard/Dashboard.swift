import FoundationEssentials
import SeedwatchCore

/// Serves the dashboard's pages and JSON from the state the daemon keeps: the document index
/// (timeline, lists, topics), the outbox (one document's result; in a cluster, the database for a
/// result another node wrote), the quarantine folder and the status the control API already reports.
struct Dashboard: Sendable {
    let index: any DocumentIndex
    let ledger: any FileLedger
    /// Read per request: the paths of the moment.
    let settings: @Sendable () -> DaemonSettings
    /// What `GET /status` answers.
    let status: @Sendable () -> [String: JSONValue]

    /// Documents drawn on the timeline page: the newest this many.
    static let timelineDocuments = 1000

    /// The answer for a dashboard path, or nil when `request` is not for the dashboard.
    func respond(to request: ControlRequest) -> ControlResponse? {
        guard let route = DashboardRoute.resolve(path: request.path) else { return nil }
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
        }
        do {
            return try answer(route, request: request)
        } catch {
            return .error(500, "state_failed", "cannot read the dashboard's state: \(error)")
        }
    }

    private func answer(_ route: DashboardRoute, request: ControlRequest) throws -> ControlResponse {
        switch route {
        case .overview: return try overviewPage()
        case .timeline: return try timelinePage()
        case .timelineSVG:
            var response = ControlResponse(status: 200, contentType: "image/svg+xml", body: Array(try timeline().render().utf8))
            response.headers = HTML.securityHeaders
            return response
        case .alerts: return try alertsPage()
        case .quarantine: return quarantinePage(queued: request.query["queued"], failed: request.query["failed"])
        case let .document(id): return documentPage(rawID: id)
        case let .asset(path): return DashboardAssets.response(path: path) ?? .error(404, "not_found", "no asset \(path)")
        case .apiTopics: return try DashboardAPI.topics(index)
        case .apiTimeline: return try DashboardAPI.timeline(index, query: request.query)
        case .apiAlerts: return try DashboardAPI.alerts(index, query: request.query)
        case .apiDocuments: return try DashboardAPI.documents(index, query: request.query)
        }
    }

    /// The newest documents, oldest first, with each story's latest label.
    func timeline() throws -> TimelineSVG {
        let documents = try index.documents(limit: Self.timelineDocuments, before: nil).reversed()
        var labels: [String: String] = [:]
        for document in documents { if let topic = document.topic { labels[topic] = document.topicLabel ?? "" } }
        return TimelineSVG(documents: Array(documents), labels: labels)
    }

    private func timelinePage() throws -> ControlResponse {
        let drawing = try timeline()
        let newest = drawing.documents.map(\.sequence).max().map(String.init) ?? ""
        let topics = try index.topics()
        var body = "<h1>Timeline</h1>\n"
        body += "<p class=\"muted\">Each lane is a story, labelled with its words; each mark is a document, placed at the time its result was written. "
        body += "Select a mark to open its document. <span id=\"live-state\"></span></p>\n"
        body += "<div id=\"timeline\" class=\"timeline\" data-sequence=\"\(newest)\">\(drawing.render())</div>\n"
        body += "<h2>Stories</h2>\n"
        if topics.isEmpty {
            body += "<p>No stories yet.</p>\n"
        } else {
            body += "<table><thead><tr><th>Story</th><th>Label</th><th>First seen</th><th>Last seen</th><th>Documents</th></tr></thead><tbody>\n"
            for topic in topics.prefix(200) {
                body += "<tr><td>\(HTML.escape(topic.topic))</td><td>\(HTML.escape(topic.label))</td><td>\(HTML.time(topic.firstSeen))</td>"
                body += "<td>\(HTML.time(topic.lastSeen))</td><td class=\"number\">\(topic.documents)</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        return HTML.page(title: "Timeline", section: .timeline, live: "timeline", body: body)
    }

    private func alertsPage() throws -> ControlResponse {
        let alerts = try index.alerts(limit: 500)
        var body = "<h1>Alerts</h1>\n"
        if alerts.isEmpty {
            body += "<p>No alerts yet.</p>\n"
        } else {
            body += "<p class=\"muted\">Newest first (the latest \(alerts.count)); every alert links to the document that raised it.</p>\n"
            body += "<table><thead><tr><th>Time</th><th>Alert</th><th>Topic</th><th>Document</th></tr></thead><tbody>\n"
            for alert in alerts {
                let kind = HTML.escape(alert.alertClass)
                body += "<tr class=\"alert\"><td>\(HTML.time(alert.time))</td><td><span class=\"badge \(kind)\">\(kind.replacing("_", with: " "))</span></td>"
                body += "<td>\(HTML.escape(alert.topic)): \(HTML.escape(alert.topicLabel))</td>"
                body += "<td><a href=\"\(HTML.documentLink(alert.documentID))\">\(HTML.escape(alert.documentPath.isEmpty ? alert.documentID : alert.documentPath))</a></td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        return HTML.page(title: "Alerts", section: .alerts, body: body)
    }
}
