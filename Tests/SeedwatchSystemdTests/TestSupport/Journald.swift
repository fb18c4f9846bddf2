import Foundation
import Glibc

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
