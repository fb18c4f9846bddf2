/// `Task.sleep` without libdispatch: the task's continuation is resumed by a `LimitTimers` timer,
/// and so continues on the executor it prefers.
enum TimerSleep {
    static func sleep(for duration: Duration, timers: LimitTimers) async throws {
        try Task.checkCancellation()
        guard duration > .zero else { return }
        let sleeper = Sleeper()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                sleeper.start(continuation, timer: timers.schedule(after: duration) { sleeper.finish(cancelled: false) })
            }
        } onCancel: {
            sleeper.finish(cancelled: true)
        }
    }

    /// One sleep's continuation, resumed once: by its timer or by cancellation, whichever is first.
    /// Cancellation may come before the continuation exists; it is then resumed at once on arrival.
    private final class Sleeper: @unchecked Sendable {
        private let monitor = ThreadMonitor()
        // Guarded by `monitor`.
        private var continuation: CheckedContinuation<Void, any Error>?
        private var timer: LimitTimers.Timer?
        private var outcome: Bool?  // cancelled?

        func start(_ continuation: CheckedContinuation<Void, any Error>, timer: LimitTimers.Timer) {
            let finished: Bool? = monitor.withLock {
                if outcome == nil {
                    self.continuation = continuation
                    self.timer = timer
                }
                return outcome
            }
            guard let cancelled = finished else { return }
            timer.cancel()
            resume(continuation, cancelled: cancelled)
        }

        func finish(cancelled: Bool) {
            let pending: (CheckedContinuation<Void, any Error>, LimitTimers.Timer?)? = monitor.withLock {
                guard outcome == nil else { return nil }
                outcome = cancelled
                defer { continuation = nil; timer = nil }
                return continuation.map { ($0, timer) }
            }
            guard let (continuation, timer) = pending else { return }
            if cancelled { timer?.cancel() }
            resume(continuation, cancelled: cancelled)
        }

        private func resume(_ continuation: CheckedContinuation<Void, any Error>, cancelled: Bool) {
            if cancelled {
                continuation.resume(throwing: CancellationError())
            } else {
                continuation.resume()
            }
        }
    }
}
