import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import SeedwatchDaemon

/// Bytes through NIO's request decoder into the collector, as the server does.
@Suite("control request collector")
struct ControlRequestCollectorTests {
    private func collect(_ text: String, maxBody: Int = 64) throws -> [ControlRequestCollector.Action] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder()))
        defer { _ = try? channel.finish() }
        var collector = ControlRequestCollector(maxBody: maxBody)
        var actions: [ControlRequestCollector.Action] = []
        try channel.writeInbound(channel.allocator.buffer(string: text))
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
            let action = collector.consume(part)
            if action != .none { actions.append(action) }
        }
        return actions
    }

    @Test("a request with a body completes once, with method, path, query and body")
    func complete() throws {
        let actions = try collect("POST /documents?name=a%20b.txt HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
        let expected = ControlRequest(method: "POST", uri: "/documents?name=a%20b.txt", body: Array("hello".utf8), headers: ["content-length": "5"])
        #expect(actions == [.complete(expected, version: .http1_1)])
        #expect(expected.path == "/documents")
        #expect(expected.query["name"] == "a b.txt")
    }

    @Test("header names arrive in lower case; of a repeated header, the first")
    func headers() throws {
        let actions = try collect("POST /reprocess HTTP/1.1\r\nOrigin: http://a\r\nSec-Fetch-Site: cross-site\r\norigin: http://b\r\nContent-Length: 0\r\n\r\n")
        guard case let .complete(request, _)? = actions.first else {
            Issue.record("not complete: \(actions)")
            return
        }
        #expect(request.headers["origin"] == "http://a")
        #expect(request.headers["sec-fetch-site"] == "cross-site")
    }

    @Test("a declared length over the limit is refused before the body arrives")
    func declaredTooLarge() throws {
        let actions = try collect("POST /documents HTTP/1.1\r\nContent-Length: 65\r\n\r\n")
        #expect(actions.count == 1)
        guard case let .refuse(status, code, _, _)? = actions.first else {
            Issue.record("not refused: \(actions)")
            return
        }
        #expect(status == 413)
        #expect(code == "too_large")
    }

    /// Defect 3: a chunk size of 2^64-1 made the server read and drop bytes forever.
    @Test("a chunked body is refused as soon as what arrived passes the limit, whatever the chunk size says")
    func hugeChunk() throws {
        let body = String(repeating: "x", count: 65)
        let actions = try collect("POST /documents HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n\(body)")
        #expect(actions.count == 1)
        if case .refuse(413, "too_large", _, _)? = actions.first {} else { Issue.record("not refused: \(actions)") }
    }

    @Test("a chunked body within the limit completes")
    func chunkedWithin() throws {
        let actions = try collect("POST /reprocess HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        let expected = ControlRequest(method: "POST", uri: "/reprocess", body: Array("abcde".utf8), headers: ["transfer-encoding": "chunked"])
        #expect(actions == [.complete(expected, version: .http1_1)])
    }
}
