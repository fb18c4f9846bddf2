import Foundation
import Glibc

/// A journald for the tests: the one already running, or one started here (and stopped by
/// `stop()`, which touches only a process this helper started).
struct Journald {
    static let socket = "/run/systemd/journal/socket"
    private let started: Process?

    static func ensureRunning() async throws -> Journald {
        if isRunning() { return Journald(started: nil) }
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/lib/systemd/systemd-journald")
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let journald = Journald(started: process)
        // journald creates its socket once it listens; wait for that, bounded.
        let deadline = ContinuousClock.now + .seconds(10)
        while access(socket, F_OK) != 0 {
            guard ContinuousClock.now < deadline, process.isRunning else {
                journald.stop()
                throw HelperError(description: "systemd-journald did not start listening on \(socket)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return journald
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

    func stop() {
        guard let started, started.isRunning else { return }
        started.terminate()  // journald handles SIGTERM through a signalfd, so a blocked mask is fine
        let deadline = ContinuousClock.now + .seconds(5)
        while started.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if started.isRunning { kill(started.processIdentifier, SIGKILL) }
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
