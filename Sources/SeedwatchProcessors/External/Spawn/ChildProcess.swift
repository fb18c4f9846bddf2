#if canImport(Glibc)
import Glibc
#endif
import CSpawn
import FoundationEssentials
import SeedwatchCore
import SeedwatchExecutors

/// A child process in its own process group, with its standard streams on pipes.
///
/// Spawned with `posix_spawnp` rather than Foundation's `Process` so that the child gets its own
/// process group (a timeout kills the plugin and everything it started) and an empty signal mask
/// with default dispositions (a thread of the cooperative pool may have SIGTERM blocked, and a
/// blocked mask is inherited). Reading happens on dedicated threads, never on the cooperative pool.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let stdinFD: Locked<Int32?>
    let stdoutFD: Int32
    let stderrFD: Int32
    /// Writes are serialised here: a plugin that does not read its input blocks this queue (one
    /// thread of the blocking pool), not a task.
    private let writer = SerialThreadQueue()

    private init(pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32) {
        self.pid = pid
        self.stdinFD = Locked(stdin)
        self.stdoutFD = stdout
        self.stderrFD = stderr
    }

    /// Starts `command` (looked up on `PATH` when it has no slash) with `environment` (`KEY=VALUE`).
    static func spawn(_ command: [String], environment: [String]) throws(ExternalError) -> ChildProcess {
        guard let program = command.first, !program.isEmpty else { throw .spawn(command: command, errno: EINVAL) }
        Self.ignoreBrokenPipes
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        guard makePipe(&input) == 0 else { throw .spawn(command: command, errno: errno) }
        guard makePipe(&output) == 0 else {
            let code = errno
            closeAll(input)
            throw .spawn(command: command, errno: code)
        }
        guard makePipe(&errors) == 0 else {
            let code = errno
            closeAll(input + output)
            throw .spawn(command: command, errno: code)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        // Nothing else crosses over: a descriptor another thread has not yet marked close-on-exec
        // (another plugin's pipe, a socket) would otherwise keep that end open in this plugin.
        cspawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, Int32(signal)) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        closeAll([input[0], output[1], errors[1]])
        guard status == 0 else {
            closeAll([input[1], output[0], errors[0]])
            throw .spawn(command: command, errno: status)
        }
        return ChildProcess(pid: pid, stdin: input[1], stdout: output[0], stderr: errors[0])
    }

    /// Writing to a plugin that has exited must give EPIPE, not kill the daemon with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Queues `bytes` for the child's standard input; `close` closes it afterwards (end of input).
    func write(_ bytes: [UInt8], thenClose close: Bool = false) {
        writer.async { [self] in
            guard let fd = stdinFD.withLock({ $0 }) else { return }
            // A failure is EPIPE: the child is gone; its exit is reported by the waiter.
            try? POSIX.writeAll(bytes, to: fd)
            if close { closeInput() }
        }
    }

    /// Closes standard input now (end of input for the child).
    func closeInput() {
        if let fd = stdinFD.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) { _ = Glibc.close(fd) }
    }

    /// Kills the whole process group: the plugin and anything it started.
    func killGroup() {
        _ = kill(-pid, SIGKILL)
    }

    /// Blocks the calling (dedicated) thread until the child exits; returns its wait status.
    func waitForExit() -> ExitStatus {
        var status: Int32 = 0
        guard POSIX.retryingInterrupts({ waitpid(pid, &status, 0) }) >= 0 else { return .exited(-1) }
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(signal)
    }

    /// A pipe whose ends are never inherited by another child; `dup2` in the spawn clears the
    /// flag on this child's own copies.
    private static func makePipe(_ fds: inout [Int32]) -> Int32 {
        cspawn_pipe_cloexec(&fds)
    }

    private static func closeAll(_ fds: [Int32]) {
        for fd in fds where fd >= 0 { _ = Glibc.close(fd) }
    }
}

/// How a child process ended.
enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    var description: String {
        switch self {
        case let .exited(code): "exited with status \(code)"
        case let .signalled(signal): "killed by signal \(signal)"
        }
    }
}
