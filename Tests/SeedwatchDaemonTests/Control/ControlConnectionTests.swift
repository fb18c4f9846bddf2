import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// The control socket under hostile clients: idle, trickling, half-closing, and bodies that
/// announce more than they may send. Real daemon, real unix sockets.
@Suite("control connections", .timeLimit(.minutes(TestTime.minutes(2))))
struct ControlConnectionTests {
    /// Defect 3: 1,100 idle connections used up the daemon's descriptors.
    @Test("idle connections past control.max_connections cannot keep /healthz from answering, nor hold more descriptors")
    func connectionCap() async throws {
        let daemon = try DaemonHarness()
        try daemon.start(["control.max_connections=8", "control.read_timeout_ms=120000"])
        try await daemon.waitReady()
        let before = openDescriptors(daemon.pid)
        let idle = try (0..<40).map { _ in try RawSocket(daemon.controlSocket) }
        defer { for socket in idle { socket.close() } }
        let health = try await HTTPClient.get("/healthz", socket: daemon.controlSocket)
        #expect(health.status == 200)
        // The server took every connection in and closed the oldest idle ones: at most the cap stay open.
        #expect(openDescriptors(daemon.pid) <= before + 10)
        #expect(try await offPool { idle[0].readAll(timeout: 10) }.closed)
        #expect(try await daemon.stop() == 0)
    }

    @Test("a connection that stops part-way through its headers is closed after control.read_timeout_ms")
    func slowHeaders() async throws {
        let daemon = try DaemonHarness()
        try daemon.start(["control.read_timeout_ms=300"])
        try await daemon.waitReady()
        let socket = try RawSocket(daemon.controlSocket)
        defer { socket.close() }
        try socket.send("GET /healthz HTTP/1.1\r\nHost: local")
        let answer = try await offPool { socket.readAll(timeout: 20) }
        #expect(answer.closed)
        #expect(answer.bytes.isEmpty)
        let silent = try RawSocket(daemon.controlSocket)
        defer { silent.close() }
        #expect(try await offPool { silent.readAll(timeout: 20) }.closed)
        #expect(try await daemon.stop() == 0)
    }

    /// Defect 3: `FFFFFFFFFFFFFFFF` as a chunk size kept the connection reading forever.
    @Test("a chunk size of 2^64-1 is answered 413 as soon as the body passes control.max_body")
    func hugeChunk() async throws {
        let daemon = try DaemonHarness()
        try daemon.start(["control.max_body=64", "control.read_timeout_ms=120000"])
        try await daemon.waitReady()
        let socket = try RawSocket(daemon.controlSocket)
        defer { socket.close() }
        try socket.send("POST /documents HTTP/1.1\r\nHost: local\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n" + String(repeating: "x", count: 200))
        let answer = try await offPool { socket.readAll(timeout: 10) }
        #expect(answer.text.hasPrefix("HTTP/1.1 413"))
        #expect(answer.text.contains(#""code":"too_large""#))
        #expect(answer.closed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.watch).isEmpty)
        #expect(try await daemon.stop() == 0)
    }

    /// Defect 9: the POST took effect but the client never heard back.
    @Test("a client that half-closes after its request still gets the answer")
    func halfClose() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        try await daemon.waitReady()
        let socket = try RawSocket(daemon.controlSocket)
        defer { socket.close() }
        let body = "Sent, then the sending side shut."
        try socket.send("POST /documents?name=half.txt HTTP/1.1\r\nHost: local\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        socket.shutdownWrite()
        let answer = try await offPool { socket.readAll(timeout: 10) }
        #expect(answer.text.hasPrefix("HTTP/1.1 202"))
        #expect(answer.text.contains(#""name":"half.txt""#))
        let health = try RawSocket(daemon.controlSocket)
        defer { health.close() }
        try health.send("GET /healthz HTTP/1.1\r\nHost: local\r\n\r\n")
        health.shutdownWrite()
        #expect(try await offPool { health.readAll(timeout: 10) }.text.hasPrefix("HTTP/1.1 200"))
        #expect(try await daemon.stop() == 0)
    }

    private func openDescriptors(_ pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }
}

/// Runs blocking socket calls on a thread of their own, never on the concurrency pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// A blocking client socket on a unix path, for requests the HTTP client would not send.
final class RawSocket: Sendable {
    let fd: Int32

    init(_ path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in Array(path.utf8).prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw POSIXError(.EPIPE) }
            sent += n
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    func close() { Glibc.close(fd) }

    /// Reads until the server closes (`closed`) or `timeout` seconds pass without a byte.
    func readAll(timeout: Double) -> (bytes: [UInt8], closed: Bool, text: String) {
        var wait = timeval(tv_sec: Int(TestTime.seconds(timeout)), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                bytes += buffer[0..<n]
                continue
            }
            // 0: orderly close; ECONNRESET: closed with our unread bytes; EAGAIN: the time ran out.
            let closed = n == 0 || errno == ECONNRESET
            return (bytes, closed, String(decoding: bytes, as: UTF8.self))
        }
    }
}
