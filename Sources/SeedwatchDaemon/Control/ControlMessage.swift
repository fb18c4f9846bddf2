import FoundationEssentials
import SeedwatchCore

/// One HTTP request as the routes see it: the transport is NIO's business.
struct ControlRequest: Sendable, Equatable {
    var method: String
    var path: String
    var query: [String: String]
    /// Nil when the body was larger than allowed (and was discarded while reading).
    var body: [UInt8]?
    /// Header names in lower case; of repeated headers, the first.
    var headers: [String: String]

    init(method: String, uri: String, body: [UInt8]?, headers: [String: String] = [:]) {
        self.method = method
        self.body = body
        self.headers = headers
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0]).percentDecoded ?? String(kv[0])
                let raw = kv.count > 1 ? String(kv[1]).replacing("+", with: " ") : ""
                query[key] = raw.percentDecoded ?? raw
            }
        }
        self.query = query
    }
}

/// One HTTP response: status, content type, body bytes and any further headers.
struct ControlResponse: Sendable, Equatable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    /// Besides Content-Type, Content-Length and Connection (the dashboard's security headers, Location).
    var headers: [String: String] = [:]

    static func json(_ status: Int, _ object: [String: JSONValue]) -> ControlResponse {
        ControlResponse(status: status, contentType: "application/json", body: JSONValue.object(object).encodedSorted() + [0x0A])
    }

    static func text(_ status: Int, _ text: String, type: String = "text/plain; charset=utf-8") -> ControlResponse {
        ControlResponse(status: status, contentType: type, body: Array(text.utf8))
    }

    /// `{"error": {"code", "message"}}`, the shape of every 4xx and 5xx.
    static func error(_ status: Int, _ code: String, _ message: String) -> ControlResponse {
        json(status, ["error": .object(["code": .string(code), "message": .string(message)])])
    }
}
