import Glibc
import SeedwatchCore
import SeedwatchIngest

/// Catches signals with a handler that writes the signal's number to a pipe, read on a thread of
/// its own that yields it to the stream of whoever trapped it.
///
/// Why not `UnixSignalsSequence`: its dispatch signal sources start libdispatch's worker threads
/// in an otherwise Dispatch-free daemon (issue 9). A handler plus a pipe needs no signal mask on
/// other threads, and the reader blocks in `read`, so nothing wakes while no signal comes.
enum SignalTrap {
    /// Starts catching `signals` now (before READY=1: SIGHUP's default action ends the process);
    /// each one caught is yielded. A signal trapped again goes to the newest stream only.
    static func stream(_ signals: [Int32]) throws(SystemError) -> AsyncStream<Int32> {
        try startReader()
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(16))
        receivers.withLock { receivers in
            for signal in signals { receivers[signal] = continuation }
        }
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardSignal
            sigemptyset(&action.sa_mask)
            // Restarted, not failed with EINTR, for the system calls the signal lands in.
            action.sa_flags = SA_RESTART
            guard sigaction(signal, &action, nil) == 0 else { throw SystemError(operation: "sigaction", path: nil) }
        }
        return stream
    }

    private static let receivers = Locked<[Int32: AsyncStream<Int32>.Continuation]>([:])
    private static let readerStarted = Locked(false)

    private static func startReader() throws(SystemError) {
        try readerStarted.withLock { (started: inout Bool) throws(SystemError) in
            guard !started else { return }
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw SystemError(operation: "pipe", path: nil) }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            // A full pipe (signals arriving faster than they are read) drops signals rather than
            // blocking inside the handler.
            _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
            signalPipeWriter = ends[1]
            let reader = ends[0]
            DetachedThread.start(name: "seedwatch-signals") { readLoop(reader) }
            started = true
        }
    }

    private static func readLoop(_ reader: Int32) {
        var number: UInt8 = 0
        while true {
            let count = read(reader, &number, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { return }
            let receiver = receivers.withLock { $0[Int32(number)] }
            receiver?.yield(Int32(number))
        }
    }
}

/// The pipe's write end, for the handler: set once, before any handler is installed, and only
/// read afterwards (a signal handler can reach no Swift state safely but a plain global).
private nonisolated(unsafe) var signalPipeWriter: Int32 = -1

/// The signal handler: async-signal-safe `write` of the number, `errno` left as it was.
private func forwardSignal(_ signal: Int32) {
    let savedErrno = errno
    var number = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriter, &number, 1)
    errno = savedErrno
}
