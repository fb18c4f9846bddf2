import FoundationEssentials
import Glibc
import SeedwatchCore

/// A minimal HTTP/1.1 client over a unix socket, for `seedwatch status`: one request, the
/// server closes the connection, the body follows the blank line.
enum ControlClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func get(_ target: String, socket path: String) throws(Failure) -> Data {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure(description: "socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        // A daemon that accepts but never answers must not hang the command: 5 s per read/write.
        var limit = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to \(path): \(String(cString: strerror(errno)))") }
        let request = Array("GET \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = POSIX.retryingInterrupts { request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
            guard n > 0 else { throw Failure(description: "cannot send to \(path): \(String(cString: strerror(errno)))") }
            sent += n
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in POSIX.retryingInterrupts { recv(fd, raw.baseAddress, raw.count, 0) } }
            guard n >= 0 else { throw Failure(description: "cannot read from \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            response += buffer[0..<n]
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0..<max(0, response.count - 3)).first(where: { Array(response[$0..<$0 + 4]) == separator }) else {
            throw Failure(description: "no HTTP response from \(path)")
        }
        let statusLine = String(decoding: response[0..<(response[0..<split].firstIndex(of: 13) ?? split)], as: UTF8.self)
        guard statusLine.split(separator: " ").dropFirst().first == "200" else { throw Failure(description: "\(path) answered \(statusLine)") }
        return Data(response[(split + 4)...])
    }
}
