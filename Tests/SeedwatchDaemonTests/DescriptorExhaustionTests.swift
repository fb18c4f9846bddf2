import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// Issue 19, defect 3: with no file descriptor left, good files were quarantined as `unreadable`
/// ("Too many open files (errno 24)") and stayed quarantined after a restart. Real daemon, a real
/// descriptor limit, real idle connections on the control socket.
@Suite("out of file descriptors", .timeLimit(.minutes(TestTime.minutes(3))))
struct DescriptorExhaustionTests {
    /// util-linux, an essential Debian package: sets another process's limits.
    static let prlimit = "/usr/bin/prlimit"

    @Test(
        "files that arrive while the daemon has no descriptor left are all processed once descriptors free; none is quarantined",
        .enabled(if: FileManager.default.isExecutableFile(atPath: prlimit), "needs prlimit (util-linux)")
    )
    func filesWaitForDescriptors() async throws {
        let daemon = try DaemonHarness()
        // Idle connections must stay open: no cap closes the oldest, no read timeout ends them.
        try daemon.start(["control.max_connections=65536", "control.read_timeout_ms=3600000"])
        try await daemon.waitReady()
        let pid = daemon.pid
        // A few descriptors above what the daemon holds once ready, soft and hard alike: it raised
        // its soft limit to the hard one at start, so lowering the soft one alone would not hold.
        let limit = openDescriptors(pid) + 8
        let set = try await offPool { try PlainSpawn.run([Self.prlimit, "--pid", "\(pid)", "--nofile=\(limit):\(limit)"]) }
        #expect(set == 0)
        // More idle connections than descriptors left: the daemon takes them in until it has none;
        // the rest wait in the listen backlog and take any descriptor that frees meanwhile.
        let idle = try (0..<24).map { _ in try RawSocket(daemon.controlSocket) }
        var idleOpen = true
        defer { if idleOpen { for socket in idle { socket.close() } } }
        try await within(60, "the daemon to use up its \(limit) descriptors") { try await until { openDescriptors(pid) >= limit } }

        let names = (0..<6).map { "arrived-\($0).txt" }
        for (index, name) in names.enumerated() {
            try daemon.drop(name, "Document number \(index) arrived while the daemon had no file descriptor left to open it.")
        }
        // The daemon met the limit reading them (before the fix, also when writing their quarantine records).
        try await within(60, "a read to fail with EMFILE") { try await until { daemon.log.contains("Too many open files") } }
        for socket in idle { socket.close() }
        idleOpen = false
        try await within(90, "a record for every file") {
            try await until { daemon.results().count + errorRecords(daemon).count >= names.count }
        }
        #expect(errorRecords(daemon).isEmpty, "quarantined: \(errorRecords(daemon))")
        #expect(daemon.results().count == names.count)
        for name in names {
            #expect(daemon.results().contains { $0.hasPrefix(name + ".") }, "no result for \(name)")
        }
        #expect(daemon.log.contains("no file descriptor left to read"))
        #expect(try await daemon.stop() == 0)
    }

    private func errorRecords(_ daemon: DaemonHarness) -> [String] {
        daemon.quarantined().filter { $0.hasSuffix(".error.json") }
    }
}

private func openDescriptors(_ pid: Int32) -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
}

/// Polls a condition that no event announces (a descriptor count, a log line); `within` bounds it.
private func until(_ condition: @Sendable () -> Bool) async throws {
    while !condition() { try await Task.sleep(for: .milliseconds(50)) }
}
