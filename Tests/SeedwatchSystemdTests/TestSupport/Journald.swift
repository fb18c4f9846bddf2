import Foundation
import Glibc

/// A journald for the tests: the one already running, or one started here (and stopped by
/// `stop()`, which touches only a process this helper started).
struct Journald {
    static let socket = "/run/systemd/journal/socket"
    private let started: Process?

    static func ensureRunning() async throws -> Journald {
        if await isRunning() { return Journald(started: nil) }
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

    /// Whether a `systemd-journal` process (the kernel cuts the name to 15 characters) runs.
    static func isRunning() async -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        process.arguments = ["-x", "systemd-journal"]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        return await exitStatus(of: process) == 0
    }

    func stop() {
        guard let started, started.isRunning else { return }
        started.terminate()  // journald handles SIGTERM through a signalfd, so a blocked mask is fine
        let deadline = ContinuousClock.now + .seconds(5)
        while started.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if started.isRunning { kill(started.processIdentifier, SIGKILL) }
        started.waitUntilExit()
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
        // Reaped off the concurrency pool (see `exitStatus(of:)`).
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        Thread { process.waitUntilExit() }.start()
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

/// Waits for `process` on a thread of its own. Foundation may notice an exit late (when another
/// child still holds the socket it watches), and a wait on the concurrency pool, which has as many
/// threads as cores, would stall every other test meanwhile.
func exitStatus(of process: Process) async -> Int32 {
    await withCheckedContinuation { continuation in
        Thread {
            process.waitUntilExit()
            continuation.resume(returning: process.terminationStatus)
        }.start()
    }
}
