/// Which endpoint a method and path name, decided before any work is done.
enum ControlRoute: Equatable {
    case healthz
    case status
    case metrics
    case submit
    /// `GET /documents/{id}`, the id still percent-encoded as sent.
    case result(id: String)
    case reprocess
    /// A known path with another method.
    case methodNotAllowed
    case notFound

    static func resolve(method: String, path: String) -> ControlRoute {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let isResult = segments.count == 2 && segments[0] == "documents"
        let name = isResult ? "documents/{id}" : segments.joined(separator: "/")
        switch (method, name) {
        case ("GET", "healthz"), ("HEAD", "healthz"): return .healthz
        case ("GET", "status"): return .status
        case ("GET", "metrics"): return .metrics
        case ("POST", "documents"): return .submit
        case ("GET", "documents/{id}"): return .result(id: segments[1])
        case ("POST", "reprocess"): return .reprocess
        case (_, "healthz"), (_, "status"), (_, "metrics"), (_, "documents"), (_, "documents/{id}"), (_, "reprocess"): return .methodNotAllowed
        default: return .notFound
        }
    }
}
