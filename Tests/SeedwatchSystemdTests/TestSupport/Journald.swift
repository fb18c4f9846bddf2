import Foundation
import Glibc

/// A journald for the tests: the one already running, or one started here. It is never
/// stopped: tests run concurrently (in this module and others), and stopping a journald
/// another test is reading would lose that test's entries.
enum Journald {
    static let socket = "/run/systemd/journal/socket"

    static func ensureRunning() async throws {
        if isRunning(), listens() { return }
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
        // One starter at a time across test modules and processes: two journalds would share
        // the socket path and the journal files.
        let lock = open("/run/systemd/journal/.tests-start.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw HelperError(description: "cannot open the journald start lock") }
        defer { close(lock) }  // closing releases the lock
        let deadline = ContinuousClock.now + .seconds(10)
        while flock(lock, LOCK_EX | LOCK_NB) != 0 {
            guard ContinuousClock.now < deadline else { throw HelperError(description: "journald start lock held") }
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
                throw HelperError(description: "systemd-journald did not start listening on \(socket)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether journald receives on its socket: a stale socket file left by a journald that
    /// ended still exists, but refuses a connection.
    static func listens() -> Bool {
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
    static func isRunning() -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            guard entry.allSatisfy(\.isNumber) else { return false }
            let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8)
            return comm?.trimmingCharacters(in: .whitespacesAndNewlines) == "systemd-journal"
        }
    }
}

/// `journalctl -f -o json` for one field match: follows the journal and returns the first
/// entry, or nil when none arrives within the limit. The process is always ended.
func followJournal(match: String, within limit: Duration) async throws -> [String: Any]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
    process.arguments = ["--no-pager", "-f", "-o", "json", match]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
        // SIGKILL, not terminate(): a child spawned from a Swift concurrency thread inherits its
        // blocked signal mask, and `journalctl -f` never unblocks SIGTERM, so it would not end.
        // No wait: this runs on the concurrency pool, and Foundation reaps the child.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    let reader = output.fileHandleForReading
    let once = DeliverOnce<String?>()
    // A blocking reader thread: journalctl only ever writes lines, and ends (EOF) when terminated.
    let thread = Thread {
        var pending = Data()
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            if let newline = pending.firstIndex(of: 0x0A) {
                once.deliver(String(decoding: pending[..<newline], as: UTF8.self))
                return
            }
        }
        once.deliver(nil)
    }
    thread.start()
    let timer = Task {
        try? await Task.sleep(for: limit)
        once.deliver(nil)
    }
    let line = await withCheckedContinuation { once.install($0) }
    timer.cancel()
    guard let line else { return nil }
    return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
}
