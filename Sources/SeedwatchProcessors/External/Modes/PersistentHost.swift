import Foundation
import Logging
import SeedwatchCore
import Synchronization

/// `persistent` mode: one long-lived process fed a stream of requests, answered in any order.
///
/// Responses are matched to waiting requests by `id`. A process that ends is restarted on the
/// next request after an exponential back-off; after `maxFailures` ends within the failure
/// window the processor is disabled and every later document gets a `disabled` error.
final class PersistentHost: Sendable {
    private struct State {
        var child: ChildProcess?
        var pending: [String: CheckedContinuation<JSONValue, any Error>] = [:]
        /// Set when we kill the process because of its output; given to the requests it strands.
        var killReason: ProcessorFailure?
        var failures: [ContinuousClock.Instant] = []
        var nextStart: ContinuousClock.Instant?
        var disabled = false
    }
    private enum Step { case ready(ChildProcess), wait(ContinuousClock.Instant), disabled, failed(ProcessorFailure) }

    private let state = Mutex(State())
    let settings: ExternalSettings
    private let environment: [String]
    private let logger: Logger
    private let limiter: AsyncLimiter
    private let clock = ContinuousClock()

    init(settings: ExternalSettings, environment: [String], logger: Logger) {
        self.settings = settings
        self.environment = environment
        self.logger = logger
        self.limiter = AsyncLimiter(settings.concurrency)
    }

    func send(id: String, request: [UInt8]) async throws -> JSONValue {
        try await limiter.run {
            let child = try await running()
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let accepted = state.withLock { state -> Bool in
                        guard state.child === child, !Task.isCancelled else { return false }
                        state.pending[id] = continuation
                        return true
                    }
                    if accepted {
                        child.write(request)
                    } else {
                        continuation.resume(throwing: Task.isCancelled ? CancellationError() as any Error
                                            : ExternalError.failure("crashed", "the plugin ended before the request was sent"))
                    }
                }
            } onCancel: {
                // A timeout: a late answer for this id is then logged as unknown and dropped.
                state.withLock { $0.pending.removeValue(forKey: id) }?.resume(throwing: CancellationError())
            }
        }
    }

    /// The running process, started (after any back-off) when there is none.
    private func running() async throws -> ChildProcess {
        while true {
            let step = state.withLock { state -> Step in
                if state.disabled { return .disabled }
                if let child = state.child { return .ready(child) }
                if let next = state.nextStart, clock.now < next { return .wait(next) }
                do {
                    let child = try ChildProcess.spawn(settings.command, environment: environment)
                    state.child = child
                    state.killReason = nil
                    return .ready(child)
                } catch {
                    recordFailure(&state)
                    return .failed(ExternalError.failure("crashed", String(describing: error)))
                }
            }
            switch step {
            case let .ready(child):
                startWatching(child)
                return child
            case let .wait(instant): try await Task.sleep(until: instant, clock: clock)
            case .disabled: throw ExternalError.failure("disabled", "the plugin failed \(settings.maxFailures) times and was disabled")
            case let .failed(failure): throw failure
            }
        }
    }

    private let watched = Mutex<Set<pid_t>>([])

    /// Starts the reader and waiter threads of a new process, once.
    private func startWatching(_ child: ChildProcess) {
        guard watched.withLock({ $0.insert(child.pid).inserted }) else { return }
        StderrForwarder.start(fd: child.stderrFD, processor: settings.name, logger: logger)
        LineReader.start(fd: child.stdoutFD, maxLine: settings.maxOutputBytes, name: "seedwatch.\(settings.name).stdout") { [self] event in
            switch event {
            case let .line(bytes): receive(bytes, from: child)
            case .overflow: abandon(child, ExternalError.failure("output_too_large", "a response line is over \(settings.maxOutputBytes) bytes"))
            case .end: break
            }
        }
        let waiter = Thread { [self] in
            let status = child.waitForExit()
            child.killGroup()
            ended(child, status: status)
        }
        waiter.name = "seedwatch.\(settings.name).wait"
        waiter.start()
    }

    private func receive(_ line: [UInt8], from child: ChildProcess) {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        let response = PluginMessages.parse(line)
        let answered: String?
        let outcome: Result<JSONValue, ProcessorFailure>
        switch response {
        case let .result(id, value): (answered, outcome) = (id, .success(value))
        case let .error(id, failure): (answered, outcome) = (id, .failure(failure))
        case let .invalid(id, reason): (answered, outcome) = (id, .failure(ExternalError.failure("invalid_output", reason)))
        }
        guard let answered else {
            // Not attributable to one request: the stream cannot be trusted any more.
            if case let .failure(failure) = outcome { abandon(child, failure) }
            return
        }
        guard let continuation = state.withLock({ $0.pending.removeValue(forKey: answered) }) else {
            logger.error("response for unknown id '\(answered)' ignored", metadata: ["processor": "\(settings.name)"])
            return
        }
        continuation.resume(with: outcome.mapError { $0 as any Error })
    }

    /// Kills a process whose output broke the protocol; its pending requests get `failure`.
    private func abandon(_ child: ChildProcess, _ failure: ProcessorFailure) {
        logger.error("\(failure.message); restarting", metadata: ["processor": "\(settings.name)"])
        state.withLock { if $0.child === child, $0.killReason == nil { $0.killReason = failure } }
        child.killGroup()
    }

    private func ended(_ child: ChildProcess, status: ExitStatus) {
        let (stranded, failure, disabled, delay) = state.withLock { state in
            guard state.child === child else { return ([CheckedContinuation<JSONValue, any Error>](), ExternalError.ended(status), false, Duration.zero) }
            state.child = nil
            let stranded = Array(state.pending.values)
            state.pending = [:]
            let failure = state.killReason ?? ExternalError.ended(status)
            let delay = recordFailure(&state)
            return (stranded, failure, state.disabled, delay)
        }
        watched.withLock { _ = $0.remove(child.pid) }
        let metadata: Logger.Metadata = ["processor": "\(settings.name)"]
        if disabled {
            logger.error("plugin \(status): failed \(settings.maxFailures) times within \(settings.failureWindowMilliseconds) ms, disabled", metadata: metadata)
        } else {
            logger.warning("plugin \(status); restarting after \(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000) ms", metadata: metadata)
        }
        for continuation in stranded { continuation.resume(throwing: failure) }
    }

    /// Counts a failure in the window, disables after too many, and sets the next start time.
    @discardableResult
    private func recordFailure(_ state: inout State) -> Duration {
        let now = clock.now
        let window = Duration.milliseconds(settings.failureWindowMilliseconds)
        state.failures = state.failures.filter { now - $0 < window } + [now]
        if state.failures.count >= settings.maxFailures { state.disabled = true }
        let exponent = min(state.failures.count - 1, 16)
        let delay = min(Duration.milliseconds(settings.restartBackoffMilliseconds) * (1 << exponent), .seconds(60))
        state.nextStart = now + delay
        return delay
    }
}
