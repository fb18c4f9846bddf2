import CSpawn
import Foundation
import Glibc
import SeedwatchCore
import SeedwatchTestSupport

/// Runs the real `seedwatch` binary in a temporary folder with its own watch folder, outbox,
/// state, quarantine and notify socket.
final class DaemonHarness: Sendable {
    let root: String
    let watch: String
    let outbox: String
    let state: String
    let quarantine: String
    let notify: NotifySocket
    private let process = Locked<Process?>(nil)
    private let exit = Locked<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    static var binary: String {
        if let override = ProcessInfo.processInfo.environment["SEEDWATCH_BIN"] { return override }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = me.deletingLastPathComponent()
        // Inside an .xctest bundle on some toolchains: walk up to the build folder.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("seedwatch").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return me.deletingLastPathComponent().appendingPathComponent("seedwatch").path
    }

    /// The five real articles, read from ../shared beside the checkout (tests that use them are
    /// enabled only when it is there: `SharedData.seedsAvailable`).
    static var sharedSeeds: String { SharedData.seeds.path }

    /// The repository's own sample documents (seeds/ at the package root), there in every clone.
    static var samples: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path
    }

    /// tmpfs where there is one: thousands of fsyncs stay cheap for the tests that make them.
    static var memoryBacked: String {
        FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    }

    init(base folder: String = NSTemporaryDirectory()) throws {
        let base = URL(fileURLWithPath: folder).appendingPathComponent("seedwatch-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        root = base.path
        watch = root + "/in"
        outbox = root + "/outbox"
        state = root + "/state"
        quarantine = root + "/quarantine"
        for folder in [watch] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        notify = try NotifySocket(directory: root)
    }

    deinit {
        // A test that failed or timed out must not leave its daemon running past the suite.
        if exit.withLock({ $0.status == nil }), pid > 0 { kill(pid, SIGKILL) }
        notify.close()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Starts `seedwatch run` with the harness folders, extra `--set` overrides and further
    /// `arguments` (`--config FILE`). `passing`: a descriptor handed over the way systemd does
    /// (fd 3, `LISTEN_FDS=1`, `LISTEN_FDNAMES`, `LISTEN_PID` of the daemon itself).
    func start(
        _ overrides: [String] = [], environment extra: [String: String] = [:], arguments more: [String] = [],
        passing descriptor: (fd: Int32, name: String)? = nil
    ) throws {
        var arguments = ["run", "--watch", watch, "--outbox", outbox, "--state", state, "--quarantine", quarantine, "--set", "log.target=both"]
        for override in overrides { arguments += ["--set", override] }
        arguments += more
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SEEDWATCH_") && !$0.key.hasPrefix("LISTEN_") }
        environment["NOTIFY_SOCKET"] = notify.path
        environment.merge(extra) { _, new in new }
        if let descriptor {
            try spawn(arguments: arguments, environment: environment, passing: descriptor)
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        _ = FileManager.default.createFile(atPath: root + "/daemon.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/daemon.log"))
        try log.seekToEnd()
        process.standardError = log
        process.standardOutput = log
        exit.withLock { $0 = (nil, []) }
        // Not `self`: a running daemon must not keep its harness alive, or a failed test
        // would never reach `deinit`, which kills it.
        process.terminationHandler = { [exit] finished in
            let waiters = exit.withLock { state -> [CheckedContinuation<Int32, Never>] in
                state.status = finished.terminationStatus
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: finished.terminationStatus) }
        }
        readyMarkState.withLock { $0 = notify.all.count }
        try process.run()
        self.process.withLock { $0 = process }
        spawned.withLock { $0 = 0 }
    }

    var pid: Int32 { process.withLock { $0?.processIdentifier } ?? spawned.withLock { $0 } }

    /// The daemon started by `spawn`, when the last start passed a descriptor.
    private let spawned = Locked<pid_t>(0)

    /// Foundation's `Process` cannot put a descriptor on fd 3 nor set `LISTEN_PID` to the child's
    /// own pid: `posix_spawn` runs a shell that exports its `$$` and execs the daemon in its place.
    /// Nothing above fd 3 is inherited: Foundation's `Process` notices a child's exit when the
    /// child's end of a socket closes, so a daemon holding such ends of other tests' children
    /// would keep their exits unseen.
    private func spawn(arguments: [String], environment: [String: String], passing descriptor: (fd: Int32, name: String)) throws {
        // dup2 onto itself would keep close-on-exec, and fds 0–2 are replaced below.
        guard descriptor.fd > 3 else { throw POSIXError(.EBADF) }
        var environment = environment
        environment["LISTEN_FDS"] = "1"
        environment["LISTEN_FDNAMES"] = descriptor.name
        let script = #"export LISTEN_PID=$$; cd "$1" || exit 127; shift; exec "$@""#
        let argv = ["bash", "-c", script, "bash", root, Self.binary] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, root + "/daemon.log", O_WRONLY | O_APPEND | O_CREAT, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, descriptor.fd, 3)
        cspawn_addclosefrom(&actions, 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A test thread may have signals blocked; the daemon must start with none blocked.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, Int32(signal)) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var cArgv = argv.map { strdup($0) } + [nil]
        var cEnvp = envp.map { strdup($0) } + [nil]
        defer {
            for pointer in cArgv { free(pointer) }
            for pointer in cEnvp { free(pointer) }
        }
        exit.withLock { $0 = (nil, []) }
        readyMarkState.withLock { $0 = notify.all.count }
        var child: pid_t = 0
        let status = posix_spawn(&child, "/bin/bash", &actions, &attributes, &cArgv, &cEnvp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        process.withLock { $0 = nil }
        spawned.withLock { $0 = child }
        // waitpid blocks: a thread of its own, never the concurrency pool.
        Thread { [exit, child] in
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) < 0 && errno == EINTR {}
            // As Process.terminationStatus: the exit code, or the signal that ended it.
            let code = raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
            let waiters = exit.withLock { state -> [CheckedContinuation<Int32, Never>] in
                state.status = code
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: code) }
        }.start()
    }

    /// Waits for READY=1 from this start of the daemon.
    func waitReady() async throws {
        let from = readyMark
        // Generous: a start competes with the whole parallel suite for two cores; the bound only
        // limits how long a start that never gets ready holds a test.
        _ = try await within(60, "READY=1") { [notify] in
            await notify.first(from: from) { $0.contains("READY=1") }
        }
    }

    /// Notifications before this index belong to earlier starts; set by `start`.
    private let readyMarkState = Locked(0)
    var readyMark: Int { readyMarkState.withLock { $0 } }

    func signal(_ signal: Int32) {
        let pid = pid
        if pid > 0 { kill(pid, signal) }
    }

    /// Waits for the process to exit and returns its status.
    func waitExit(timeout: Double = 20) async throws -> Int32 {
        try await within(timeout, "daemon exit") { [self] in
            await withCheckedContinuation { continuation in
                let status: Int32? = exit.withLock { state in
                    if let status = state.status { return status }
                    state.waiters.append(continuation)
                    return nil
                }
                if let status { continuation.resume(returning: status) }
            }
        }
    }

    /// SIGTERM, then the exit status.
    func stop() async throws -> Int32 {
        signal(SIGTERM)
        return try await waitExit()
    }

    var log: String { (try? String(contentsOfFile: root + "/daemon.log", encoding: .utf8)) ?? "" }

    func results() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    func quarantined() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: quarantine)) ?? []).sorted()
    }

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw POSIXError(.EINVAL) }
        return object
    }

    /// Writes a file the way `mv` delivers it: a temporary name, then an atomic rename.
    func drop(_ name: String, _ text: String) throws {
        let temporary = watch + "/." + name + ".part"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, watch + "/" + name) == 0 else { throw POSIXError(.EIO) }
    }

    /// Runs a one-shot seedwatch command; returns status, stdout and stderr. The blocking reads
    /// and the wait happen on a thread of their own (never on the concurrency pool), and a
    /// command still running after `timeout` seconds is killed and reported as status -1. The bound
    /// catches a hang: beside the whole suite (load 16 on 2 cores) `process` on one short document
    /// took over 60 s twice in CI, where alone it takes under a second.
    static func command(_ arguments: [String], environment extra: [String: String] = [:], directory: String? = nil, timeout: Double = 240) async throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SEEDWATCH_") }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        let outcome: (Int32, String, String)
        do {
            outcome = try await within(timeout, "seedwatch \(arguments.joined(separator: " "))") {
                await withCheckedContinuation { continuation in
                    Thread {
                        let outData = out.fileHandleForReading.readDataToEndOfFile()
                        let errData = err.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        continuation.resume(returning: (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)))
                    }.start()
                }
            }
        } catch {
            kill(pid, SIGKILL)
            return (-1, "", "\(error)")
        }
        return outcome
    }
}
