import Logging
import SeedwatchCore
import SeedwatchPipeline
import SeedwatchProcessors

/// Builds the configuration schema and the processor runner, for the daemon and the one-shot
/// commands alike, so both run exactly the same pipeline.
public enum ProcessorSetup {
    public static let catalog = ProcessorCatalog(ProcessorRegistry.builtIns)

    public static var schema: ConfigSchema {
        var schema = ConfigSchema(DaemonConfigKeys.all + IngestModeConfigKeys.all + ControlConfigKeys.all + DatabaseConfigKeys.all + catalog.configKeys)
        schema.add(ExternalProcessors.family(builtIns: catalog.names))  // processors.external.<name>.…
        return schema
    }

    /// The processors asked for: `only` (from `--processors`) when given, else those whose
    /// `processors.<name>.enabled` (or `processors.external.<name>.enabled`) is true.
    /// Throws `ConfigError` for an invalid external processor, `PlanError` for an unknown name.
    public static func requestedNames(_ configuration: Configuration, only: [String]? = nil) throws -> [String] {
        let external = try ExternalProcessors.settings(in: configuration)
        guard let only else {
            return catalog.names.filter { configuration.bool("processors.\($0).enabled") } + external.filter(\.enabled).map(\.name)
        }
        for name in only where catalog.factory(named: name) == nil && !external.contains(where: { $0.name == name }) {
            throw PlanError.unknownProcessor(name)
        }
        return only
    }

    /// Makes the requested processors, plus any they require that were not requested.
    public static func makeRunner(
        _ configuration: Configuration, store: any ProcessorStateStore, only: [String]? = nil
    ) throws -> ProcessorRunner {
        try ProcessorRunner(entries: makeEntries(configuration, store: store, only: only, reusing: { _ in nil }))
    }

    /// The runner after a reload. A processor keeps its running instance when its keys (other
    /// than `timeout_ms`) did not change, or when it is one whose configuration only a restart
    /// applies (external processors, processors with state: the reload plan kept their keys);
    /// the others are made anew from `configuration`. Time limits always come from `configuration`.
    static func remakeRunner(
        _ configuration: Configuration, replacing running: ProcessorRunner, runningConfiguration: Configuration,
        store: any ProcessorStateStore
    ) throws -> ProcessorRunner {
        let instances = Dictionary(running.entries.map { ($0.processor.name, $0.processor) }, uniquingKeysWith: { first, _ in first })
        let entries = try makeEntries(configuration, store: store, only: nil) { name in
            guard let instance = instances[name] else { return nil }
            guard let factory = catalog.factory(named: name), factory.appliesConfigurationOnReload else { return instance }
            let prefix = "processors.\(name)."
            let changed = Set(configuration.values.keys).union(runningConfiguration.values.keys).contains { key in
                key.hasPrefix(prefix) && key != prefix + "timeout_ms" && configuration.values[key] != runningConfiguration.values[key]
            }
            return changed ? nil : instance
        }
        return try running.replacing(entries: entries)
    }

    /// `reusing` returns a running instance to keep for a name, or nil to make a new one.
    private static func makeEntries(
        _ configuration: Configuration, store: any ProcessorStateStore, only: [String]?,
        reusing: (String) -> (any Processor)?
    ) throws -> [ProcessorRunner.Entry] {
        let defaultTimeout = configuration.integer("pipeline.timeout_ms")
        var entries: [ProcessorRunner.Entry] = []
        var queue = try requestedNames(configuration, only: only)
        var made: Set<String> = []
        let external = Dictionary(try ExternalProcessors.settings(in: configuration).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        while let name = queue.first {
            queue.removeFirst()
            guard made.insert(name).inserted else { continue }
            if let settings = external[name] {  // an external processor: its dependencies are all optional
                let timeout = settings.timeoutMilliseconds > 0 ? settings.timeoutMilliseconds : defaultTimeout
                let processor = reusing(name) ?? ExternalProcessor(settings: settings, logger: Logger(label: "seedwatch"))
                entries.append(.init(processor: processor, timeout: .milliseconds(timeout)))
                continue
            }
            guard let factory = catalog.factory(named: name) else { throw PlanError.unknownProcessor(name) }
            let scope = configuration.scope("processors.\(name).")
            let processor: any Processor
            if let running = reusing(name) {
                processor = running
            } else {
                do {
                    processor = try factory.make(ProcessorContext(config: scope, store: store))
                } catch {
                    throw SetupError.processor(name: name, reason: String(describing: error))
                }
            }
            let timeout = scope.integer("timeout_ms") > 0 ? scope.integer("timeout_ms") : defaultTimeout
            entries.append(.init(processor: processor, timeout: .milliseconds(timeout)))
            for dependency in processor.dependencies where dependency.isRequired && !made.contains(dependency.name) {
                guard catalog.factory(named: dependency.name) != nil else {
                    throw PlanError.missingDependency(processor: name, dependency: dependency.name)
                }
                queue.append(dependency.name)
            }
        }
        return entries
    }
}

public enum SetupError: Error, CustomStringConvertible {
    case processor(name: String, reason: String)

    public var description: String {
        switch self {
        case let .processor(name, reason): "processor \(name) could not start: \(reason)"
        }
    }

    /// The configuration scope the error is about, for the journal's CONFIG_KEY field.
    public var key: String {
        switch self {
        case let .processor(name, _): "processors.\(name)"
        }
    }
}
