import Foundation
import Glibc

/// A journald for the tests: the one already running, or one started here. It is never
/// stopped: tests run concurrently (in this module and others), and stopping a journald
/// another test is reading would lose that test's entries.
public enum Journald {
    public static let socket = "/run/systemd/journal/socket"

    public static func ensureRunning() async throws {
        if isRunning(), listens() { return }
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
        // One starter at a time across test modules and processes: two journalds would share
        // the socket path and the journal files.
        let lock = open("/run/systemd/journal/.tests-start.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw JournaldError(description: "cannot open the journald start lock") }
        defer { close(lock) }  // closing releases the lock
        let deadline = ContinuousClock.now + .seconds(10)
        while flock(lock, LOCK_EX | LOCK_NB) != 0 {
            guard ContinuousClock.now < deadline else { throw JournaldError(description: "journald start lock held") }
            try await Task.sleep(for: .milliseconds(20))
        }
        if !isRunning() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/lib/systemd/systemd-journald")
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }
        // journald creates its socket once it listens; wait for that, bounded.
        while !listens() {
            guard ContinuousClock.now < deadline else {
                throw JournaldError(description: "systemd-journald did not start listening on \(socket)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether journald receives on its socket: a stale socket file left by a journald that
    /// ended still exists, but refuses a connection.
    public static func listens() -> Bool {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in Array("/run/systemd/journal/socket".utf8).prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    /// Whether a `systemd-journal` process (the kernel cuts the name to 15 characters) runs,
    /// read from /proc rather than by starting `pgrep` and blocking on its exit.
    public static func isRunning() -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            guard entry.allSatisfy(\.isNumber) else { return false }
            let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8)
            return comm?.trimmingCharacters(in: .whitespacesAndNewlines) == "systemd-journal"
        }
    }
}

public struct JournaldError: Error, CustomStringConvertible {
    public var description: String
}
