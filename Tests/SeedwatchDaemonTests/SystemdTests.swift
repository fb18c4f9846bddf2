import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// sd_notify messages on a real datagram socket, and structured entries in a real journald.
@Suite("systemd integration", .timeLimit(.minutes(TestTime.minutes(2))))
struct SystemdTests {
    @Test("READY, STATUS, WATCHDOG and STOPPING reach NOTIFY_SOCKET")
    func notifications() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(environment: ["WATCHDOG_USEC": "200000"])
        try await daemon.waitReady()
        let ready = try #require(daemon.notify.all.first { $0.contains("READY=1") })
        #expect(ready.contains("STATUS=watching"))
        _ = try await within(5, "WATCHDOG=1") { [notify = daemon.notify] in await notify.first { $0 == "WATCHDOG=1" } }
        try daemon.drop("one.txt", "One small document.")
        _ = try await within(10, "result") { await outbox.await(count: 1) }
        _ = try await within(5, "STATUS with the count") { [notify = daemon.notify] in
            await notify.first { $0.hasPrefix("STATUS=") && $0.contains("processed 1") }
        }
        #expect(try await daemon.stop() == 0)
        #expect(daemon.notify.all.contains { $0.contains("STOPPING=1") })
    }

    @Test("log entries reach journald with structured fields")
    func journalFields() async throws {
        try await Journald.ensureRunning()
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(["log.target=journal"])
        try await daemon.waitReady()
        try Data([0x00, 0x01]).write(to: URL(fileURLWithPath: daemon.watch + "/bin.txt"))
        try daemon.drop("article.txt", "An article for the journal test.")
        _ = try await within(10, "result") { await outbox.await(count: 1) }
        let path = daemon.watch + "/article.txt"
        let entries = try await Journald.entries(matching: "DOCUMENT_PATH=\(path)", until: { $0["MESSAGE"]?.hasPrefix("processed") == true })
        let processed = try #require(entries.first { $0["MESSAGE"]?.hasPrefix("processed") == true })
        #expect(processed["SYSLOG_IDENTIFIER"] == "seedwatch")
        #expect(processed["PRIORITY"] == "6")
        #expect(processed["DOCUMENT_SHA256"]?.count == 64)
        #expect(processed["CODE_FILE"]?.isEmpty == false)
        #expect(processed["CODE_LINE"].flatMap { Int($0) } != nil)
        let binPath = daemon.watch + "/bin.txt"
        let warnings = try await Journald.entries(matching: "DOCUMENT_PATH=\(binPath)", until: { $0["QUARANTINE_CODE"] != nil })
        let quarantined = try #require(warnings.first { $0["QUARANTINE_CODE"] != nil })
        #expect(quarantined["QUARANTINE_CODE"] == "binary")
        #expect(quarantined["PRIORITY"] == "4")
        #expect(try await daemon.stop() == 0)
    }
}

/// Reading what the daemon logged, from the shared test journald.
extension Journald {
    /// Follows the journal for entries matching `match` until one satisfies `until`.
    static func entries(matching match: String, until: @escaping @Sendable ([String: String]) -> Bool) async throws -> [[String: String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/journalctl")
        process.arguments = ["-f", "-n", "all", "-o", "json", "--no-pager", match]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            // SIGKILL: a child started from a concurrency thread may have SIGTERM blocked.
            // No wait here: this runs on the concurrency pool, and Foundation reaps the child.
            kill(process.processIdentifier, SIGKILL)
        }
        let handle = pipe.fileHandleForReading
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        // A thread of its own: the read blocks, and must not hold a concurrency-pool thread.
        let reader = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            continuation.finish()
        }
        reader.start()
        return try await within(15, "journal entry for \(match)") {
            var found: [[String: String]] = []
            for await line in lines {
                guard let data = line.data(using: .utf8),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                let entry = object.compactMapValues { $0 as? String }
                found.append(entry)
                if until(entry) { return found }
            }
            return found
        }
    }
}
