import Glibc
import SeedwatchCore
import SeedwatchIngest

/// The daemon's signals: a handler writes the signal's number to a pipe, read on a thread of its
/// own (`seedwatch-signals`) that yields it to `hangups` (SIGHUP) or `terminations` (SIGTERM,
/// SIGINT).
///
/// Why not `UnixSignalsSequence`: its dispatch signal sources start libdispatch's worker threads
/// in an otherwise Dispatch-free daemon (issue 9). The reader blocks in `read`, so nothing wakes
/// while no signal comes.
final class SignalTrap: Sendable {
    let hangups: AsyncStream<Int32>
    let terminations: AsyncStream<Int32>

    private static let caught: [Int32] = [SIGHUP, SIGTERM, SIGINT]

    /// Catches the signals from now on (before READY=1: SIGHUP's default action ends the process).
    /// Once per process: the handler writes to the pipe of the latest instance.
    init() throws(SystemError) {
        let (hangups, hangupContinuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(16))
        let (terminations, terminationContinuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(16))
        self.hangups = hangups
        self.terminations = terminations

        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SystemError(operation: "pipe", path: nil) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // A full pipe (signals faster than they are read) drops signals rather than blocking the handler.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        signalPipeWriter = ends[1]
        let reader = ends[0]
        DetachedThread.start(name: "seedwatch-signals") {
            // Whoever started the daemon may have left these blocked in the mask every thread
            // inherited (a dispatch worker blocks them): this long-lived thread takes them.
            Self.unblockCaughtSignals()
            Self.readLoop(reader) { signal in
                if signal == SIGHUP { hangupContinuation.yield(signal) } else { terminationContinuation.yield(signal) }
            }
        }
        Self.unblockCaughtSignals()  // until the reader runs
        for signal in Self.caught {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardSignal
            sigemptyset(&action.sa_mask)
            // Restarted, not failed with EINTR, in whatever system call the signal interrupts.
            action.sa_flags = SA_RESTART
            guard sigaction(signal, &action, nil) == 0 else { throw SystemError(operation: "sigaction", path: nil) }
        }
    }

    private static func unblockCaughtSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in caught { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private static func readLoop(_ reader: Int32, _ deliver: (Int32) -> Void) {
        var number: UInt8 = 0
        while true {
            let count = withUnsafeMutableBytes(of: &number) { POSIX.read(reader, into: $0) }
            guard count == 1 else { return }
            deliver(Int32(number))
        }
    }
}

/// The pipe's write end, for the handler: set before any handler is installed, only read after
/// (a signal handler can safely reach no Swift state but a plain global).
private nonisolated(unsafe) var signalPipeWriter: Int32 = -1

/// The signal handler: an async-signal-safe `write` of the number, `errno` left as it was.
private func forwardSignal(_ signal: Int32) {
    let savedErrno = errno
    var number = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriter, &number, 1)
    errno = savedErrno
}
