import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// `seedwatch status` against a running daemon, and against none; and socket activation.
@Suite("status command and socket activation", .timeLimit(.minutes(TestTime.minutes(2))))
struct StatusCommandTests {
    @Test("prints a systemctl-like summary; exit 3 when nothing listens")
    func summary() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        try await daemon.waitReady()
        let output = try await DaemonHarness.command(["status", "--socket", daemon.controlSocket])
        #expect(output.status == 0)
        #expect(output.out.hasPrefix("● seedwatch - active (watching)"))
        #expect(output.out.contains("Main PID: \(daemon.pid)"))
        #expect(output.out.contains("Queue: 0 waiting, 0 in flight"))
        #expect(output.out.contains("Processed: 0"))
        #expect(output.out.contains("summary (0 errors)"))
        // The socket path from the configuration, as an operator would call it.
        let fromConfig = try await DaemonHarness.command(["status", "--set", "state=\(daemon.state)"], directory: daemon.root)
        #expect(fromConfig.status == 0)
        #expect(try await daemon.stop() == 0)
        let stopped = try await DaemonHarness.command(["status", "--socket", daemon.controlSocket])
        #expect(stopped.status == 3)
        #expect(stopped.out.contains("inactive"))
    }

    @Test("serves the API on a socket handed over by systemd-socket-activate")
    func socketActivation() async throws {
        let daemon = try DaemonHarness()
        let socket = daemon.root + "/activated.sock"
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SEEDWATCH_") }
        environment["NOTIFY_SOCKET"] = daemon.notify.path
        // Not Foundation's Process: the activator closes what it inherited (see PlainSpawn).
        let activator = try PlainSpawn.start(
            ["/usr/bin/systemd-socket-activate", "-l", socket, "--fdname=control", "-E", "NOTIFY_SOCKET",
             DaemonHarness.binary, "run", "--watch", daemon.watch, "--outbox", daemon.outbox,
             "--state", daemon.state, "--quarantine", daemon.quarantine, "--set", "log.target=stderr"],
            environment: environment, directory: daemon.root)
        defer { kill(activator, SIGKILL) }
        // The first connection starts the daemon; it answers on the inherited socket once started
        // (a debug build beside the whole suite can take more than 10 s to start).
        let status = try await HTTPClient.request("GET", "/status", socket: socket, waitForSocket: true, answerWithin: 60)
        #expect(status.status == 200)
        let pid = try #require(status.json?["pid"] as? Int)
        #expect(!FileManager.default.fileExists(atPath: daemon.controlSocket))
        _ = try await within(10, "READY=1") { [notify = daemon.notify] in await notify.first { $0.contains("READY=1") } }
        #expect(try await HTTPClient.get("/healthz", socket: socket).status == 200)
        // The activator execs the daemon: same process, stopped by the deferred SIGKILL.
        #expect(pid == Int(activator))
    }
}
