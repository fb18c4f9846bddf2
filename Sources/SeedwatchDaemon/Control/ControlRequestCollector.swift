import NIOCore
import NIOHTTP1

/// Gathers the parts of one HTTP request into a `ControlRequest`, bounding the body: what the
/// connection handler does with bytes, kept free of the channel so the fuzz target can drive it.
struct ControlRequestCollector {
    enum Action: Equatable {
        /// Wait for more.
        case none
        /// Answer now and close without reading the rest (the body is over the limit).
        case refuse(status: Int, code: String, message: String, version: HTTPVersion)
        /// The request is complete.
        case complete(ControlRequest, version: HTTPVersion)
    }

    let maxBody: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// Set once an answer was decided: nothing more is collected.
    private(set) var finished = false

    init(maxBody: Int) {
        self.maxBody = maxBody
    }

    /// Whether a request line and headers arrived (a request is in progress or done).
    var started: Bool { head != nil || finished }

    mutating func consume(_ part: HTTPServerRequestPart) -> Action {
        if finished { return .none }
        switch part {
        case let .head(requestHead):
            head = requestHead
            body = []
            // A declared length over the limit is refused before any of it is read.
            if let declared = requestHead.headers.first(name: "content-length").flatMap({ Int($0) }), declared > maxBody {
                return tooLarge(requestHead.version)
            }
            return .none
        case let .body(chunk):
            guard let head else { return .none }
            // Chunk sizes announce nothing usable (FFFFFFFFFFFFFFFF is valid hex): count what arrives.
            if body.count + chunk.readableBytes > maxBody { return tooLarge(head.version) }
            body += chunk.readableBytesView
            return .none
        case .end:
            guard let head else { return .none }
            finished = true
            var headers: [String: String] = [:]
            for (name, value) in head.headers where headers[name.lowercased()] == nil { headers[name.lowercased()] = value }
            return .complete(ControlRequest(method: head.method.rawValue, uri: head.uri, body: body, headers: headers), version: head.version)
        }
    }

    private mutating func tooLarge(_ version: HTTPVersion) -> Action {
        finished = true
        body = []
        return .refuse(status: 413, code: "too_large", message: "the request body is larger than control.max_body", version: version)
    }
}
