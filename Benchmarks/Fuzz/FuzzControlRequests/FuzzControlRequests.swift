// libFuzzer target: the control API's request handling on arbitrary bytes from a client: NIO's
// HTTP/1.1 decoder, then the collector that bounds the body, then the route and query parsing.
// Invariants: a connection decides at most once; a completed body is within the limit; a request
// routed to a result names a path under /documents/, one routed to a document page a path under /view/.
import FuzzSupport
import Glibc
import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import SeedwatchDaemon

private let maxBody = 256

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControlRequests(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder()))
    defer { _ = try? channel.finish() }
    var collector = ControlRequestCollector(maxBody: maxBody)
    var decisions = 0
    // Fed in two writes, so a request split across reads is covered too.
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    for part in [bytes[..<split], bytes[split...]] {
        do {
            try channel.writeInbound(channel.allocator.buffer(bytes: part))
        } catch {
            break  // a malformed request: the server answers 400 and closes
        }
        while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
            switch collector.consume(part) {
            case .none:
                continue
            case .refuse:
                decisions += 1
            case let .complete(request, _):
                decisions += 1
                if let body = request.body, body.count > maxBody {
                    print("fuzz invariant broken: a body of \(body.count) bytes passed the limit of \(maxBody)")
                    abort()
                }
                _ = request.query
                if case let .result(id) = ControlRoute.resolve(method: request.method, path: request.path) {
                    guard request.path.hasPrefix("/documents/"), !id.contains("/") else {
                        print("fuzz invariant broken: \(request.path) routed to the result \(id)")
                        abort()
                    }
                    _ = id.percentDecoded
                }
                if case let .document(id)? = DashboardRoute.resolve(path: request.path) {
                    guard request.path.hasPrefix("/view/"), !id.contains("/") else {
                        print("fuzz invariant broken: \(request.path) routed to the document page of \(id)")
                        abort()
                    }
                }
                _ = WatchPath.submittedName(hint: request.query["name"], fallback: "fallback.txt")
            }
        }
    }
    if decisions > 1 {
        print("fuzz invariant broken: \(decisions) answers decided for one connection")
        abort()
    }
    return 0
}

/// SwiftPM renames this executable's `main` to `FuzzControlRequests_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzControlRequests_main")
public func FuzzControlRequestsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzControlRequests)
}
