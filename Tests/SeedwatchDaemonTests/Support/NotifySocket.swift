import Foundation
import Glibc
import Synchronization

/// A real AF_UNIX datagram socket standing in for systemd's NOTIFY_SOCKET.
final class NotifySocket: Sendable {
    let path: String
    private let fd: Int32
    private let messages = Mutex<[String]>([])
    private let waiters = Mutex<[(from: Int, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String, Never>)]>([])

    init(directory: String) throws {
        path = directory + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let thread = Thread { [self] in self.readLoop() }
        thread.start()
    }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    var all: [String] { messages.withLock { $0 } }

    /// The first message at index `from` or later (received or still to come) that satisfies `predicate`.
    func first(from: Int = 0, where predicate: @escaping @Sendable (String) -> Bool) async -> String {
        await withCheckedContinuation { continuation in
            let found: String? = messages.withLock { received in
                if let match = received.dropFirst(from).first(where: predicate) { return match }
                waiters.withLock { $0.append((from, predicate, continuation)) }
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                return
            }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            let ready: [CheckedContinuation<String, Never>] = messages.withLock { received in
                received.append(message)
                let index = received.count - 1
                return waiters.withLock { waiting in
                    var matched: [CheckedContinuation<String, Never>] = []
                    waiting.removeAll { entry in
                        guard index >= entry.from, entry.predicate(message) else { return false }
                        matched.append(entry.continuation)
                        return true
                    }
                    return matched
                }
            }
            for continuation in ready { continuation.resume(returning: message) }
        }
    }
}
