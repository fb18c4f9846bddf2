import FoundationEssentials
import Logging
import SeedwatchCore

/// `per-document` mode: one process per document, fed one request line and then end of input.
struct PerDocumentRunner: Sendable {
    let settings: ExternalSettings
    let environment: [String]
    let logger: Logger
    let limiter: AsyncLimiter

    init(settings: ExternalSettings, environment: [String], logger: Logger) {
        self.settings = settings
        self.environment = environment
        self.logger = logger
        self.limiter = AsyncLimiter(settings.concurrency)
    }

    func send(id: String, request: [UInt8]) async throws -> JSONValue {
        try await limiter.run {
            let child: ChildProcess
            do {
                child = try ChildProcess.spawn(settings.command, environment: environment)
            } catch {
                throw ExternalError.failure("crashed", String(describing: error))
            }
            let exchange = OneShotExchange(child: child, id: id, maxLine: settings.maxOutputBytes)
            StderrForwarder.start(fd: child.stderrFD, processor: settings.name, logger: logger)
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    exchange.start(continuation)
                    child.write(request, thenClose: true)
                }
            } onCancel: {
                child.killGroup()  // a timeout: the plugin and anything it started
            }
        }
    }
}

/// Collects one child's answer and exit, and settles once both are known.
private final class OneShotExchange: Sendable {
    private struct State {
        var continuation: CheckedContinuation<JSONValue, any Error>?
        var response: PluginMessages.Response?
        var overflow = false
        var outputDone = false
        var exit: ExitStatus?
    }
    private let state = Locked(State())
    private let child: ChildProcess
    private let id: String
    private let maxLine: Int

    init(child: ChildProcess, id: String, maxLine: Int) {
        self.child = child
        self.id = id
        self.maxLine = maxLine
    }

    func start(_ continuation: CheckedContinuation<JSONValue, any Error>) {
        state.withLock { $0.continuation = continuation }
        LineReader.start(fd: child.stdoutFD, maxLine: maxLine, name: "seedwatch.external.stdout") { [self] event in
            switch event {
            case let .line(bytes):
                guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
                let response = PluginMessages.parse(bytes)
                state.withLock { if $0.response == nil { $0.response = response } }
            case .overflow:
                state.withLock { $0.overflow = true }
                child.killGroup()
            case .end:
                state.withLock { $0.outputDone = true }
                settleIfDone()
            }
        }
        DetachedThread.start(name: "seedwatch.external.wait") { [self, child] in
            let status = child.waitForExit()
            child.killGroup()  // anything the plugin left behind, which may hold its stdout open
            state.withLock { $0.exit = status }
            settleIfDone()
        }
    }

    private func settleIfDone() {
        let settled = state.withLock { state -> (CheckedContinuation<JSONValue, any Error>, Result<JSONValue, ProcessorFailure>)? in
            guard state.outputDone, let exit = state.exit, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, Self.outcome(id: id, response: state.response, overflow: state.overflow, exit: exit))
        }
        guard let (continuation, outcome) = settled else { return }
        continuation.resume(with: outcome.mapError { $0 as any Error })
    }

    private static func outcome(
        id: String, response: PluginMessages.Response?, overflow: Bool, exit: ExitStatus
    ) -> Result<JSONValue, ProcessorFailure> {
        if overflow { return .failure(ExternalError.failure("output_too_large", "a response line is over the limit")) }
        guard exit == .exited(0) else { return .failure(ExternalError.ended(exit)) }
        switch response {
        case nil:
            return .failure(ExternalError.ended(exit))
        case let .invalid(_, reason)?:
            return .failure(ExternalError.failure("invalid_output", reason))
        case let .result(answered, value)? where answered == id:
            return .success(value)
        case let .error(answered, failure)? where answered == id:
            return .failure(failure)
        case let .result(answered, _)?, let .error(answered, _)?:
            return .failure(ExternalError.failure("invalid_output", "response for unknown id '\(answered)'"))
        }
    }
}
