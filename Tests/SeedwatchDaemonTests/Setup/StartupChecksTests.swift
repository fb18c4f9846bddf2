import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// Start-up on a state the daemon cannot write, and the open-file limit. The tests run as root,
/// which writes through any permission, so the daemon runs as `nobody` (setpriv) where
/// permissions matter.
@Suite("start-up checks", .timeLimit(.minutes(TestTime.minutes(2))))
struct StartupChecksTests {
    static let nobody = "65534"

    /// Runs `seedwatch run` on the harness folders with `wrapper` in front (setpriv, prlimit);
    /// returns its status and log, or status -1 when it was still running after `timeout`.
    private func run(_ daemon: DaemonHarness, wrapper: [String], _ overrides: [String]) async throws -> (status: Int32, err: String) {
        var arguments = ["run", "--watch", daemon.watch, "--outbox", daemon.outbox, "--state", daemon.state, "--quarantine", daemon.quarantine,
                         "--set", "log.target=stderr"]
        for override in overrides { arguments += ["--set", override] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper[0])
        process.arguments = Array(wrapper.dropFirst()) + [DaemonHarness.binary] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SEEDWATCH_") && !$0.key.hasPrefix("NOTIFY_") }
        process.currentDirectoryURL = URL(fileURLWithPath: daemon.root)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        do {
            return try await within(20, "seedwatch run to stop") {
                await withCheckedContinuation { continuation in
                    Thread {
                        let text = err.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        continuation.resume(returning: (process.terminationStatus, String(decoding: text, as: UTF8.self)))
                    }.start()
                }
            }
        } catch {
            kill(pid, SIGKILL)
            return (-1, "")
        }
    }

    private func handToNobody(_ path: String) throws {
        let chown = Process()
        chown.executableURL = URL(fileURLWithPath: "/bin/chown")
        chown.arguments = ["-R", "\(Self.nobody):\(Self.nobody)", path]
        try chown.run()
        chown.waitUntilExit()
        #expect(chown.terminationStatus == 0)
    }

    /// Leaves what a previous run leaves: the database, and a control socket a kill -9 left behind.
    private func previousRun(_ daemon: DaemonHarness) async throws {
        try daemon.start(["control.enabled=false"])
        try await daemon.waitReady()
        #expect(try await daemon.stop() == 0)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in Array(daemon.controlSocket.utf8).prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(bound == 0)
        try handToNobody(daemon.root)
    }

    @Test("a read-only state folder stops the start with the folder named")
    func readOnlyStateFolder() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
        let daemon = try DaemonHarness()
        try await previousRun(daemon)
        #expect(chmod(daemon.state, 0o555) == 0)
        let result = try await run(daemon, wrapper: ["/usr/bin/setpriv", "--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--clear-groups"], [])
        #expect(result.status != 0 && result.status != -1, "\(result.err)")
        let stopped = result.err.split(separator: "\n").first { $0.contains("stopped") } ?? ""
        #expect(stopped.contains("state \(daemon.state) is not writable"), "\(result.err)")
    }

    /// With the control API off, nothing else wrote to the state folder before the first document:
    /// the daemon claimed READY on a read-only database and failed on every document after.
    @Test("a read-only database stops the start with its path named, with the control API off too")
    func readOnlyDatabase() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
        let daemon = try DaemonHarness()
        try await previousRun(daemon)
        let database = daemon.state + "/seedwatch.sqlite"
        #expect(chmod(database, 0o444) == 0)
        try daemon.drop("a.txt", "A document the ledger cannot record.")
        try handToNobody(daemon.watch)
        let result = try await run(daemon, wrapper: ["/usr/bin/setpriv", "--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--clear-groups"],
                                   ["control.enabled=false"])
        #expect(result.status != 0 && result.status != -1, "\(result.err)")
        #expect(result.err.contains("state \(database) is not writable"), "\(result.err)")
    }

    @Test("the soft open-file limit is raised to the hard limit at start")
    func openFileLimit() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"))
        let daemon = try DaemonHarness()
        // A state that is a file stops the start right after the limit is raised.
        try Data().write(to: URL(fileURLWithPath: daemon.state))
        let result = try await run(daemon, wrapper: ["/usr/bin/prlimit", "--nofile=512:4096", "--"], [])
        #expect(result.err.contains("open-file limit raised from 512 to 4096"), "\(result.err)")
        #expect(result.err.contains("state \(daemon.state) is not writable: not a folder"), "\(result.err)")
        #expect(result.status == 1)
    }
}
