import FoundationEssentials
import Glibc
import Logging
import SeedwatchCore
import SeedwatchExecutors

/// `persistent` mode: one long-lived process fed a stream of requests, answered in any order.
///
/// Responses are matched to waiting requests by `id`. A process that ends, breaks the protocol or
/// leaves a request unanswered past its time limit is retired: killed (its whole process group),
/// its other requests failed, and a new one started on the next request after an exponential
/// back-off. After `maxFailures` retirements within the failure window the processor is disabled
/// and every later document gets a `disabled` error.
final class PersistentHost: Sendable {
    private struct State {
        var child: ChildProcess?
        var pending: [String: CheckedContinuation<JSONValue?, any Error>] = [:]
        var failures: [ContinuousClock.Instant] = []
        var nextStart: ContinuousClock.Instant?
        var disabled = false
    }
    private enum Step { case ready(ChildProcess), wait(ContinuousClock.Instant), disabled, failed(ProcessorFailure) }
    /// What retiring a process left to do outside the lock.
    private struct Retirement {
        var stranded: [CheckedContinuation<JSONValue?, any Error>]
        var disabled: Bool
        var delay: Duration
    }

    private let state = Locked(State())
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
            while true {
                try Task.checkCancellation()
                let child = try await running()
                if let answer = try await exchange(id: id, request: request, with: child) { return answer }
                // That process was retired before the request went out: the next one gets it.
            }
        }
    }

    /// Sends one request to `child` and awaits its answer; nil if `child` was retired before sending.
    private func exchange(id: String, request: [UInt8], with child: ChildProcess) async throws -> JSONValue? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue?, any Error>) in
                enum Admission { case accepted, cancelled, retired }
                let admission = state.withLock { state -> Admission in
                    if Task.isCancelled { return .cancelled }
                    guard state.child === child else { return .retired }
                    state.pending[id] = continuation
                    return .accepted
                }
                switch admission {
                case .accepted: child.write(request)
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .retired: continuation.resume(returning: nil)
                }
            }
        } onCancel: {
            giveUp(id)
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
            case let .wait(instant): try await DaemonExecutors.sleep(until: instant)
            case .disabled: throw ExternalError.failure("disabled", "the plugin failed \(settings.maxFailures) times and was disabled")
            case let .failed(failure): throw failure
            }
        }
    }

    private let watched = Locked<Set<pid_t>>([])

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
        DetachedThread.start(name: "seedwatch.\(settings.name).wait") { [self] in
            let status = child.waitForExit()
            child.killGroup()
            ended(child, status: status)
        }
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
        continuation.resume(with: outcome.map(Optional.some).mapError { $0 as any Error })
    }

    /// Kills a process whose output broke the protocol; its pending requests get `failure`.
    private func abandon(_ child: ChildProcess, _ failure: ProcessorFailure) {
        guard let retirement = state.withLock({ state in retire(child, &state) }) else { return }
        child.killGroup()
        report(retirement, reason: failure.message)
        for continuation in retirement.stranded { continuation.resume(throwing: failure) }
    }

    /// A request given up: its time limit passed (the pipeline then cancels it, and its document
    /// gets `timeout`) or its document was cancelled.
    ///
    /// The protocol cannot withdraw a request, and a plugin hung on one would hold its slot and
    /// every request behind it, so the process is retired like one that crashed: its group is
    /// killed with SIGKILL, the failure counts toward `max_failures`, and its other requests in
    /// flight get `killed`.
    private func giveUp(_ id: String) {
        let given = state.withLock { state -> (CheckedContinuation<JSONValue?, any Error>, ChildProcess?, Retirement?)? in
            guard let continuation = state.pending.removeValue(forKey: id) else { return nil }  // not sent, or answered
            // A pending request always belongs to the current process: retiring one clears both.
            guard let child = state.child else { return (continuation, nil, nil) }
            return (continuation, child, retire(child, &state))
        }
        guard let (continuation, child, retirement) = given else { return }
        continuation.resume(throwing: CancellationError())
        guard let child, let retirement else { return }
        child.killGroup()
        report(retirement, reason: "no answer to request \(id) in time; process group \(child.pid) killed")
        let failure = ExternalError.failure("killed", "the plugin was killed because request \(id) got no answer in time")
        for continuation in retirement.stranded { continuation.resume(throwing: failure) }
    }

    private func ended(_ child: ChildProcess, status: ExitStatus) {
        watched.withLock { _ = $0.remove(child.pid) }
        child.write([], thenClose: true)  // queued after any write, so the descriptor is not reused under it
        // Nil when the process was already retired (killed by us): that was reported then.
        guard let retirement = state.withLock({ state in retire(child, &state) }) else { return }
        report(retirement, reason: "plugin \(status)")
        let failure = ExternalError.ended(status)
        for continuation in retirement.stranded { continuation.resume(throwing: failure) }
    }

    /// Detaches `child` if it is the current process: takes its pending requests and counts a failure.
    private func retire(_ child: ChildProcess, _ state: inout State) -> Retirement? {
        guard state.child === child else { return nil }
        state.child = nil
        let stranded = Array(state.pending.values)
        state.pending = [:]
        let delay = recordFailure(&state)
        return Retirement(stranded: stranded, disabled: state.disabled, delay: delay)
    }

    private func report(_ retirement: Retirement, reason: String) {
        let metadata: Logger.Metadata = ["processor": "\(settings.name)"]
        if retirement.disabled {
            logger.error("\(reason): failed \(settings.maxFailures) times within \(settings.failureWindowMilliseconds) ms, disabled", metadata: metadata)
        } else {
            let milliseconds = retirement.delay.components.seconds * 1000 + retirement.delay.components.attoseconds / 1_000_000_000_000_000
            logger.warning("\(reason); restarting after \(milliseconds) ms", metadata: metadata)
        }
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
