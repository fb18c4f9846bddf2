import Foundation
import Glibc
import Testing
@testable import SeedwatchSystemd

/// sd_notify to a real AF_UNIX datagram socket. `NOTIFY_SOCKET` and `WATCHDOG_USEC` are
/// process-wide, so these tests run one at a time and restore the environment afterwards.
@Suite("SystemdNotifier", .serialized)
struct SystemdNotifierTests {
    /// A bound datagram socket standing in for the service manager.
    private final class Receiver {
        let fd: Int32
        let address: String

        /// `name` starting with `@` binds in the abstract namespace, as systemd allows.
        init(name: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw HelperError(description: "socket: errno \(errno)") }
            address = name
            var socketAddress = sockaddr_un()
            socketAddress.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(name.utf8)
            if name.hasPrefix("@") { bytes[0] = 0 }
            let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
            guard bytes.count < capacity else {
                close(fd)
                throw HelperError(description: "socket path too long: \(name)")
            }
            withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (name.hasPrefix("@") ? 0 : 1))
            let bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            guard bound == 0 else {
                let code = errno
                close(fd)
                throw HelperError(description: "bind \(name): errno \(code)")
            }
        }

        deinit {
            close(fd)
            if !address.hasPrefix("@") { unlink(address) }
        }

        /// Every datagram already queued (sd_notify sends synchronously, so none is in transit).
        func drain() -> [String] {
            var messages: [String] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard count >= 0 else { break }
                messages.append(String(decoding: buffer.prefix(count), as: UTF8.self))
            }
            return messages
        }
    }

    @Test("without NOTIFY_SOCKET every call is a no-op")
    func disabled() async {
        await withEnvironment(["NOTIFY_SOCKET": nil]) {
            let notifier = SystemdNotifier()
            #expect(!notifier.isEnabled)
            #expect(!notifier.notify("READY=1"))
            notifier.ready(status: "nothing listens")
        }
    }

    @Test("READY, STATUS, WATCHDOG and STOPPING arrive on the socket, in order")
    func messages() async throws {
        try await withTemporaryDirectory { folder in
            let receiver = try Receiver(name: folder + "/notify.sock")
            await withEnvironment(["NOTIFY_SOCKET": receiver.address]) {
                let notifier = SystemdNotifier()
                #expect(notifier.isEnabled)
                let tag = UUID().uuidString
                notifier.ready(status: "watching seeds \(tag)")
                notifier.status("queue 3, processed 10 \(tag)")
                notifier.watchdog()
                notifier.stopping(status: "draining 2 documents \(tag)")
                #expect(notifier.notify("EXTEND_TIMEOUT_USEC=1000000"))
                // Compared as a subsequence: a process spawned meanwhile by another test could
                // inherit NOTIFY_SOCKET and add its own datagrams.
                let expected = [
                    "READY=1\nSTATUS=watching seeds \(tag)",
                    "STATUS=queue 3, processed 10 \(tag)",
                    "WATCHDOG=1",
                    "STOPPING=1\nSTATUS=draining 2 documents \(tag)",
                    "EXTEND_TIMEOUT_USEC=1000000",
                ]
                let received = receiver.drain()
                var remaining = expected[...]
                for message in received where message == remaining.first { remaining.removeFirst() }
                #expect(remaining.isEmpty, "missing \(Array(remaining)) in \(received)")
            }
        }
    }

    @Test("RELOADING=1 carries MONOTONIC_USEC of CLOCK_MONOTONIC, as systemd 253+ requires")
    func reloading() async throws {
        try await withTemporaryDirectory { folder in
            let receiver = try Receiver(name: folder + "/notify.sock")
            await withEnvironment(["NOTIFY_SOCKET": receiver.address]) {
                let tag = UUID().uuidString
                let before = Self.monotonicMicroseconds()
                SystemdNotifier().reloading(status: "reloading \(tag)")
                let after = Self.monotonicMicroseconds()
                let message = receiver.drain().first { $0.hasSuffix(tag) }
                let lines = message?.split(separator: "\n").map(String.init) ?? []
                #expect(lines.first == "RELOADING=1")
                #expect(lines.last == "STATUS=reloading \(tag)")
                let stamp = lines.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) }
                #expect(stamp.map { (before...after).contains($0) } == true, "\(lines)")
            }
        }
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    @Test("an abstract-namespace socket (@name) works too")
    func abstractSocket() async throws {
        let receiver = try Receiver(name: "@seedwatch-test-\(UUID().uuidString.prefix(12))")
        await withEnvironment(["NOTIFY_SOCKET": receiver.address]) {
            #expect(SystemdNotifier().notify("STATUS=abstract"))
            #expect(receiver.drain().contains("STATUS=abstract"))
        }
    }

    @Test("a NOTIFY_SOCKET nobody listens on makes notify report failure, not crash")
    func nobodyListening() async throws {
        try await withTemporaryDirectory { folder in
            await withEnvironment(["NOTIFY_SOCKET": folder + "/absent.sock"]) {
                #expect(!SystemdNotifier().notify("READY=1"))
            }
        }
    }

    @Test("watchdogInterval comes from WATCHDOG_USEC when meant for this process", arguments: [
        ("4000000", nil, 4_000_000),
        ("4000000", "self", 4_000_000),
        ("250000", "self", 250_000),
        ("4000000", "1", nil),  // for another process
        ("0", nil, nil),
        ("soon", nil, nil),
        (nil, nil, nil),
    ] as [(String?, String?, Int64?)])
    func watchdogInterval(usec: String?, pid: String?, expected: Int64?) async {
        let pidValue = pid == "self" ? String(getpid()) : pid
        await withEnvironment(["WATCHDOG_USEC": usec, "WATCHDOG_PID": pidValue]) {
            #expect(SystemdNotifier().watchdogInterval == expected.map { .microseconds($0) })
        }
    }

    @Test("no listen fds without LISTEN_FDS, or when they are meant for another process")
    func listenFileDescriptors() async {
        await withEnvironment(["LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil]) {
            #expect(SystemdNotifier().listenFileDescriptors().isEmpty)
        }
        await withEnvironment(["LISTEN_FDS": "1", "LISTEN_PID": "1", "LISTEN_FDNAMES": "control"]) {
            #expect(SystemdNotifier().listenFileDescriptors().isEmpty)
        }
    }
}
