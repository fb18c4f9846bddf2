import Foundation
import Glibc

/// A TCP proxy on 127.0.0.1 for fault tests: each connection made to `port` is relayed to the
/// target port, and the test can cut every open connection at once (`cutAll`: both sides get an
/// end of stream, as when a middlebox or the network drops them) or refuse new ones for a while
/// (`refusing`: accepted and reset at once, so a client's connect fails fast instead of hanging).
///
/// Blocking POSIX sockets on threads of its own (one accepting, two per connection), never on
/// Swift's pool, so the relay goes on whatever the tests' tasks are doing.
public final class FaultProxy: @unchecked Sendable {
    public let port: Int
    private let target: Int
    private let listener: Int32
    private let lock = NSLock()
    /// Under `lock`.
    private var open: [Int: Link] = [:]
    private var nextLink = 0
    private var refusingNew = false
    private var stopped = false
    private var acceptedCount = 0
    private var cutCount = 0
    private var refusedCount = 0
    private var refusalWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// One relayed connection: the client's socket and the one to the target.
    private struct Link {
        let client: Int32
        let server: Int32
    }

    public init(target: Int) throws {
        self.target = target
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ready, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fault-proxy-accept"
        thread.start()
    }

    /// Connections accepted and relayed so far (refused ones not counted).
    public var accepted: Int { lock.withLock { acceptedCount } }

    /// Connections cut so far by `cutAll`.
    public var cut: Int { lock.withLock { cutCount } }

    /// Connections refused so far.
    public var refused: Int { lock.withLock { refusedCount } }

    /// Returns once `count` connections have been refused in all.
    public func waitForRefusals(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let reached = lock.withLock { () -> Bool in
                if refusedCount >= count { return true }
                refusalWaiters.append((count, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }

    /// Connections open now.
    public var openConnections: Int { lock.withLock { open.count } }

    /// Cuts every open connection, both sides (the client and the server each read an end of
    /// stream; what either sends afterwards is lost); returns how many were cut.
    @discardableResult
    public func cutAll() -> Int {
        let links = lock.withLock { () -> [Link] in
            let links = Array(open.values)
            open.removeAll()
            cutCount += links.count
            return links
        }
        // shutdown, not close: the relay threads blocked in read() on these descriptors wake up
        // and close them themselves, so a descriptor number is never reused under them.
        for link in links {
            shutdown(link.client, Int32(SHUT_RDWR))
            shutdown(link.server, Int32(SHUT_RDWR))
        }
        return links.count
    }

    /// While true, new connections are reset as soon as they are accepted.
    public func refuse(_ refusing: Bool) {
        lock.withLock { refusingNew = refusing }
    }

    /// Stops accepting and cuts what is open. The threads hold the proxy until then: a test
    /// calls this when done (`defer`).
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        // Wakes the accepting thread, which closes the listening socket on its way out.
        shutdown(listener, Int32(SHUT_RDWR))
        cutAll()
    }

    private func acceptLoop() {
        defer {
            lock.withLock { stopped = true }
            close(listener)
        }
        while true {
            let client = accept(listener, nil, nil)
            let (isStopped, isRefusing) = lock.withLock { (stopped, refusingNew) }
            if isStopped {
                if client >= 0 { close(client) }
                break
            }
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                break
            }
            if isRefusing {
                Self.reset(client)
                let ready = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                    refusedCount += 1
                    let ready = refusalWaiters.filter { $0.count <= refusedCount }.map(\.continuation)
                    refusalWaiters.removeAll { $0.count <= refusedCount }
                    return ready
                }
                for waiter in ready { waiter.resume() }
                continue
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: target)
            let connected = server >= 0 && withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else {
                if server >= 0 { close(server) }
                Self.reset(client)
                continue
            }
            let link = Link(client: client, server: server)
            let id = lock.withLock { () -> Int in
                nextLink += 1
                acceptedCount += 1
                open[nextLink] = link
                return nextLink
            }
            let ends = LinkEnds()
            for (from, to) in [(client, server), (server, client)] {
                let thread = Thread { [self] in
                    Self.relay(from: from, to: to)
                    // The second direction to end closes both descriptors (nobody reads them any more).
                    if ends.oneEnded() {
                        lock.withLock { _ = open.removeValue(forKey: id) }
                        close(client)
                        close(server)
                    }
                }
                thread.name = "fault-proxy-relay"
                thread.start()
            }
        }
    }

    /// Copies bytes until either side ends; then passes the end on (the peer reads end of stream).
    private static func relay(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        copying: while true {
            let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { bytes in
                    bytes.baseAddress.map { send(to, $0 + sent, count - sent, Int32(MSG_NOSIGNAL)) } ?? -1
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break copying }
                sent += written
            }
        }
        shutdown(to, Int32(SHUT_WR))
        shutdown(from, Int32(SHUT_RD))
    }

    /// Closes with a reset (SO_LINGER 0): the client's next read fails with ECONNRESET.
    private static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }
}

/// Counts the two relay directions of one connection that have ended.
private final class LinkEnds: @unchecked Sendable {
    private let lock = NSLock()
    private var ended = 0

    /// True for the second caller.
    func oneEnded() -> Bool {
        lock.withLock {
            ended += 1
            return ended == 2
        }
    }
}
