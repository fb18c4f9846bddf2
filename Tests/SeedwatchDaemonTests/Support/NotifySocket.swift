import Foundation
import Glibc
import SeedwatchCore

/// A real AF_UNIX datagram socket standing in for systemd's NOTIFY_SOCKET.
///
/// Descriptors sent with a message (`FDSTORE=1`, SCM_RIGHTS) are received, described (what
/// `/proc/self/fd/N` points to, its `/proc/self/fdinfo/N`) and closed at once: an inotify
/// instance kept open here would count against the user's limit of instances.
final class NotifySocket: Sendable {
    /// A descriptor that came with a message.
    struct Attachment: Sendable {
        /// `readlink /proc/self/fd/N`, e.g. `anon_inode:inotify`.
        var target: String
        /// `/proc/self/fdinfo/N`: for inotify, one `inotify wd:… ino:…` line per watch.
        var fdinfo: String
    }

    let path: String
    private let fd: Int32
    private let messages = Locked<[(text: String, attachments: [Attachment])]>([])
    private let waiters = Locked<[(from: Int, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String, Never>)]>([])

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

    var all: [String] { messages.withLock { $0.map(\.text) } }

    /// The descriptors that came with the message at `index` of `all`.
    func attachments(at index: Int) -> [Attachment] {
        messages.withLock { $0.indices.contains(index) ? $0[index].attachments : [] }
    }

    /// The first message at index `from` or later (received or still to come) that satisfies `predicate`.
    func first(from: Int = 0, where predicate: @escaping @Sendable (String) -> Bool) async -> String {
        await withCheckedContinuation { continuation in
            let found: String? = messages.withLock { received in
                if let match = received.dropFirst(from).first(where: { predicate($0.text) }) { return match.text }
                waiters.withLock { $0.append((from, predicate, continuation)) }
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    private func readLoop() {
        let capacity = 8192
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        let controlCapacity = 512
        let control = UnsafeMutableRawPointer.allocate(byteCount: controlCapacity, alignment: MemoryLayout<cmsghdr>.alignment)
        defer {
            buffer.deallocate()
            control.deallocate()
        }
        while true {
            var vector = iovec(iov_base: buffer, iov_len: capacity)
            var header = msghdr()
            let count = withUnsafeMutablePointer(to: &vector) { vectorPointer in
                header.msg_iov = vectorPointer
                header.msg_iovlen = 1
                header.msg_control = control
                header.msg_controllen = controlCapacity
                return recvmsg(fd, &header, Int32(MSG_CMSG_CLOEXEC))
            }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                return
            }
            let message = String(decoding: UnsafeRawBufferPointer(start: buffer, count: count), as: UTF8.self)
            let attachments = Self.descriptors(control: control, length: Int(header.msg_controllen)).map(Self.describeAndClose)
            let ready: [CheckedContinuation<String, Never>] = messages.withLock { received in
                received.append((message, attachments))
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

    /// The descriptors of the SCM_RIGHTS control messages (the CMSG_* macros do not import).
    private static func descriptors(control: UnsafeMutableRawPointer, length: Int) -> [Int32] {
        let headerSize = MemoryLayout<cmsghdr>.size
        let alignment = MemoryLayout<Int>.size
        func aligned(_ value: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }
        var found: [Int32] = []
        var offset = 0
        while offset + headerSize <= length {
            let header = control.load(fromByteOffset: offset, as: cmsghdr.self)
            let total = Int(header.cmsg_len)
            guard total >= headerSize, offset + total <= length else { break }
            if header.cmsg_level == SOL_SOCKET && header.cmsg_type == Int32(SCM_RIGHTS) {
                let dataStart = offset + aligned(headerSize)
                for index in 0..<((offset + total - dataStart) / MemoryLayout<Int32>.size) {
                    found.append(control.loadUnaligned(fromByteOffset: dataStart + index * MemoryLayout<Int32>.size, as: Int32.self))
                }
            }
            offset += aligned(total)
        }
        return found
    }

    private static func describeAndClose(_ fd: Int32) -> Attachment {
        defer { Glibc.close(fd) }
        var target = [CChar](repeating: 0, count: 256)
        let length = readlink("/proc/self/fd/\(fd)", &target, target.count - 1)
        let info = (try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8)) ?? ""
        let text = length > 0 ? String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return Attachment(target: text, fdinfo: info)
    }
}
