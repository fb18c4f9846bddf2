/// Refuses a state-changing request a browser sent on behalf of another site: the control API
/// has no login, so a page elsewhere must not be able to post to it through the operator's
/// browser. Browsers send `Sec-Fetch-Site` and `Origin`; clients such as curl send neither and
/// are let through, as the socket's permissions and the loopback address already admit them.
enum CrossSiteCheck {
    /// A 403 answer, or nil when the request may go on.
    static func refusal(_ request: ControlRequest) -> ControlResponse? {
        if let site = request.headers["sec-fetch-site"], site != "same-origin", site != "none" {
            return .error(403, "cross_site", "refused: a \(site) request may not change anything (Sec-Fetch-Site)")
        }
        if let origin = request.headers["origin"] {
            let host = request.headers["host"] ?? ""
            guard !host.isEmpty, origin == "http://" + host else {
                return .error(403, "cross_site", "refused: Origin \(origin) is not this server")
            }
        }
        return nil
    }
}

/// The fields of an `application/x-www-form-urlencoded` body (the dashboard's forms).
enum FormBody {
    /// Nil when the request is not a form post.
    static func fields(_ request: ControlRequest) -> [String: String]? {
        guard let type = request.headers["content-type"], type.lowercased().hasPrefix("application/x-www-form-urlencoded"), let body = request.body else { return nil }
        // The same decoding as a query string.
        return ControlRequest(method: "POST", uri: "/?" + String(decoding: body, as: UTF8.self), body: nil).query
    }
}
