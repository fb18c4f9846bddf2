/// The built-in processors known to this build, their configuration keys, and how to make the
/// enabled ones.
public struct ProcessorCatalog: Sendable {
    public let factories: [any ProcessorFactory.Type]

    public init(_ factories: [any ProcessorFactory.Type]) {
        self.factories = factories
    }

    public var names: [String] { factories.map { $0.processorName } }

    public func factory(named name: String) -> (any ProcessorFactory.Type)? {
        factories.first { $0.processorName == name }
    }

    /// Keys every processor has, plus each processor's own, under `processors.<name>.`.
    public var configKeys: [ConfigKey] {
        factories.flatMap { factory -> [ConfigKey] in
            let prefix = "processors.\(factory.processorName)."
            var keys = [
                ConfigKey(prefix + "enabled", .bool, default: .bool(factory.enabledByDefault),
                          help: "run the \(factory.processorName) processor (\(factory.summary))")
                    .appliedOnReload(factory.appliesConfigurationOnReload),
                // The time limit lives in the pipeline, not in the processor: always live.
                ConfigKey(prefix + "timeout_ms", .integer(min: 0, max: 86_400_000), default: .integer(0),
                          help: "time limit per document in ms; 0 uses pipeline.timeout_ms").appliedOnReload(),
            ]
            keys += factory.configKeys.map { key in
                var scoped = key
                scoped.name = prefix + key.name
                scoped.appliesOnReload = factory.appliesConfigurationOnReload
                return scoped
            }
            return keys
        }
    }
}
