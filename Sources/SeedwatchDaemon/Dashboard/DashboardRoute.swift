/// The dashboard's pages, assets and `/api/*` JSON: all read-only (`GET`, `HEAD`). Its one
/// action, reprocessing a quarantined file, is a form that posts to `POST /reprocess`.
enum DashboardRoute: Equatable {
    case overview
    case timeline
    case timelineSVG
    case alerts
    case quarantine
    /// `/view/{id}`, the id still percent-encoded as sent.
    case document(id: String)
    case asset(path: String)
    case apiTopics
    case apiTimeline
    case apiAlerts
    case apiDocuments

    /// Nil for a path that is not the dashboard's.
    static func resolve(path: String) -> DashboardRoute? {
        switch path {
        case "/": return .overview
        case "/timeline": return .timeline
        case "/timeline.svg": return .timelineSVG
        case "/alerts": return .alerts
        case "/quarantine": return .quarantine
        case "/api/topics": return .apiTopics
        case "/api/timeline": return .apiTimeline
        case "/api/alerts": return .apiAlerts
        case "/api/documents": return .apiDocuments
        // Browsers ask for it on pages that name no icon (the raw JSON): answered, not a 404 in their console.
        case "/favicon.ico": return .asset(path: DashboardAssets.iconPath)
        default:
            if path.hasPrefix("/assets/") { return .asset(path: path) }
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            if segments.count == 3, segments[1] == "view", !segments[2].isEmpty { return .document(id: String(segments[2])) }
            return nil
        }
    }
}
