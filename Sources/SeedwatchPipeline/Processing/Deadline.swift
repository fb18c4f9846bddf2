import SeedwatchCore
import SeedwatchExecutors

/// Runs a processor with a time limit that holds even if the processor ignores cancellation:
/// the caller gets a timeout at the limit; the runaway work is cancelled and left to finish on
/// its own, so one hung processor cannot hold a document (or the daemon) hostage.
enum Deadline {
    static func run(
        _ processor: any Processor, _ input: ProcessorInput, limit: Duration, overruns: OverrunCounter
    ) async -> Result<any ProcessorOutput, ProcessorFailure> {
        await run(limit: limit, overruns: overruns) { try await processor.process(input) }
    }

    /// `body` on a thread of its own under `limit`; `overruns` counts it while it runs past the limit.
    static func run<Value: Sendable>(
        limit: Duration, overruns: OverrunCounter, _ body: @escaping @Sendable () async throws -> Value
    ) async -> Result<Value, ProcessorFailure> {
        let gate = ResumeOnce<Value>(overruns: overruns)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                gate.install(continuation)
                let work = Task(executorPreference: ProcessorThread.make()) {
                    defer { gate.workEnded() }
                    do {
                        gate.resume(.success(try await body()))
                    } catch let failure as ProcessorFailure {
                        gate.resume(.failure(failure))
                    } catch let unavailable as any StateUnavailable {
                        gate.resume(.failure(.stateUnavailable(unavailable)))
                    } catch is CancellationError {
                        gate.resume(.failure(ProcessorFailure(code: "cancelled", message: "processing was cancelled")))
                    } catch {
                        gate.resume(.failure(ProcessorFailure(code: "failed", message: String(describing: error))))
                    }
                }
                // A timer on a thread of its own, not a task: it fires even when every pool thread
                // is busy. It is cancelled once the outcome is settled, so it does not wake the
                // process (and hold this call's state) for the rest of the limit after every document.
                let timer = LimitTimers.shared.schedule(after: limit) {
                    gate.resume(.failure(ProcessorFailure(code: "timeout", message: "no result within \(limit.milliseconds) ms")), timedOut: true)
                }
                // Whoever settles the outcome (result, timeout, or cancellation of the caller),
                // the work and the timer are not needed any more.
                gate.onResume {
                    work.cancel()
                    timer.cancel()
                }
            }
        } onCancel: {
            gate.resume(.failure(ProcessorFailure(code: "cancelled", message: "processing was cancelled")))
        }
    }
}

/// Resumes a continuation exactly once, whichever of the racing tasks gets there first.
private final class ResumeOnce<Value: Sendable>: Sendable {
    typealias Outcome = Result<Value, ProcessorFailure>
    private struct State {
        var continuation: CheckedContinuation<Outcome, Never>?
        var early: Outcome?
        var done = false
        var cleanup: (@Sendable () -> Void)?
        /// The work has returned (or thrown).
        var workEnded = false
        /// The limit passed while the work ran: counted in `overruns` until it ends.
        var overrun = false
    }
    private let state = Locked(State())
    private let overruns: OverrunCounter

    init(overruns: OverrunCounter) {
        self.overruns = overruns
    }

    func install(_ continuation: CheckedContinuation<Outcome, Never>) {
        let early: Outcome? = state.withLock { state in
            if let early = state.early {
                state.early = nil
                return early
            }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func onResume(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.done { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }

    /// Settles the outcome unless it is settled already; `timedOut`: the time limit settles it.
    func resume(_ outcome: Outcome, timedOut: Bool = false) {
        let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            // Counted under the lock, so the work ending meanwhile cannot uncount it first.
            state.overrun = timedOut && !state.workEnded
            if state.overrun { overruns.began() }
            guard let continuation = state.continuation else {
                state.early = outcome
                return (nil, state.cleanup)
            }
            state.continuation = nil
            return (continuation, state.cleanup)
        }
        continuation?.resume(returning: outcome)
        cleanup?()
    }

    /// The work returned (after settling the outcome, or too late to).
    func workEnded() {
        state.withLock { state in
            state.workEnded = true
            if state.overrun { overruns.ended() }
            state.overrun = false
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
