import Foundation
import Glibc
import SeedwatchTestSupport

/// A tiny blocking HTTP/1.1 client over a real unix socket, run off the concurrency pool.
enum HTTPClient {
    struct Response: Sendable {
        var status: Int
        var body: String
        /// The status line and headers, as received.
        var head: String = ""
        /// The first header `name` (any case).
        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
        var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    }

    /// `waitForSocket`: retry connecting for up to 10 s while the socket is not there yet (on
    /// this request's own thread, never on the concurrency pool). `answerWithin`: how long the
    /// answer may take (longer for a first request that starts a socket-activated daemon).
    static func request(
        _ method: String, _ target: String, body: [UInt8] = [], headers: [String: String] = [:], socket path: String, waitForSocket: Bool = false,
        answerWithin seconds: Double = 10
    ) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                let deadline = Date().addingTimeInterval(waitForSocket ? 10 : 0)
                var result = Result { try send(method, target, body: body, headers: headers, socket: path, answerWithin: seconds) }
                while case .failure = result, Date() < deadline {
                    usleep(20_000)
                    result = Result { try send(method, target, body: body, headers: headers, socket: path, answerWithin: seconds) }
                }
                continuation.resume(with: result)
            }.start()
        }
    }

    static func get(_ target: String, socket: String) async throws -> Response { try await request("GET", target, socket: socket) }

    static func post(_ target: String, _ body: String, socket: String) async throws -> Response {
        try await request("POST", target, body: Array(body.utf8), socket: socket)
    }

    private static func send(
        _ method: String, _ target: String, body: [UInt8], headers: [String: String], socket path: String, answerWithin seconds: Double
    ) throws -> Response {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: Int(TestTime.seconds(seconds)), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in Array(path.utf8).prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let extra = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
        let request = Array("\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n\(extra)Content-Length: \(body.count)\r\n\r\n".utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // The server may answer (413) and close before reading everything.
            if n <= 0 { break }
            sent += n
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EPROTO) }
        let statusLine = text[..<split.lowerBound].split(separator: "\r\n").first ?? ""
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return Response(status: status, body: String(text[split.upperBound...]), head: String(text[..<split.lowerBound]))
    }
}
