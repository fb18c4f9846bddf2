import Logging
import SeedwatchCore
import SeedwatchPipeline
import SeedwatchProcessors

/// Builds the configuration schema and the processor runner, for the daemon and the one-shot
/// commands alike, so both run exactly the same pipeline.
public enum ProcessorSetup {
    public static let catalog = ProcessorCatalog(ProcessorRegistry.builtIns)

    public static var schema: ConfigSchema {
        var schema = ConfigSchema(DaemonConfigKeys.all + ControlConfigKeys.all + catalog.configKeys)
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
                entries.append(.init(processor: ExternalProcessor(settings: settings, logger: Logger(label: "seedwatch")), timeout: .milliseconds(timeout)))
                continue
            }
            guard let factory = catalog.factory(named: name) else { throw PlanError.unknownProcessor(name) }
            let scope = configuration.scope("processors.\(name).")
            let processor: any Processor
            do {
                processor = try factory.make(ProcessorContext(config: scope, store: store))
            } catch {
                throw SetupError.processor(name: name, reason: String(describing: error))
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
        return try ProcessorRunner(entries: entries)
    }
}

public enum SetupError: Error, CustomStringConvertible {
    case processor(name: String, reason: String)

    public var description: String {
        switch self {
        case let .processor(name, reason): "processor \(name) could not start: \(reason)"
        }
    }
}
