import FoundationEssentials
import Logging
import SeedwatchCore

/// A processor that is any executable speaking the JSON-lines plugin protocol (docs/PLUGINS.md).
///
/// Its result is the plugin's `result` value as is, under `results.<name>` in the outbox. Every
/// way a plugin can misbehave becomes a `ProcessorFailure` for that document only.
public struct ExternalProcessor: Processor {
    public let name: String
    public let dependencies: [ProcessorDependency]
    private let settings: ExternalSettings
    private let transport: Transport
    private let counter = RequestCounter()

    private enum Transport: Sendable {
        case perDocument(PerDocumentRunner)
        case persistent(PersistentHost)
    }

    /// - Parameter logger: receives the plugin's stderr lines and restarts, with metadata `processor`.
    public init(settings: ExternalSettings, logger: Logger) {
        self.name = settings.name
        self.settings = settings
        // Cleaned text when the text processor runs; results asked for, when those processors run.
        var wanted = ["text"]
        for name in settings.includeResults where !wanted.contains(name) { wanted.append(name) }
        self.dependencies = wanted.filter { $0 != settings.name }.map { .optional($0) }
        let environment = Self.environment(adding: settings.environment)
        switch settings.mode {
        case .perDocument: transport = .perDocument(PerDocumentRunner(settings: settings, environment: environment, logger: logger))
        case .persistent: transport = .persistent(PersistentHost(settings: settings, environment: environment, logger: logger))
        }
    }

    public func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        let id = "\(input.document.id)#\(counter.next())"
        let request = PluginMessages.request(id: id, input: input, includeResults: settings.includeResults)
        switch transport {
        case let .perDocument(runner): return try await runner.send(id: id, request: request)
        case let .persistent(host): return try await host.send(id: id, request: request)
        }
    }

    /// The daemon's environment with the configured `KEY=VALUE` entries replacing or adding keys.
    static func environment(adding entries: [String]) -> [String] {
        var merged = ProcessInfo.processInfo.environment
        for entry in entries {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            merged[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}

/// Request ids unique within this daemon run.
private final class RequestCounter: Sendable {
    private let value = Locked<UInt64>(0)

    func next() -> UInt64 {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
