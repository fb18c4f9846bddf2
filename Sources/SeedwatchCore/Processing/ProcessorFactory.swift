/// How the registry knows a built-in processor: its name, its documented keys, and how to make it.
public protocol ProcessorFactory: Sendable {
    /// The processor's name, also its configuration scope `processors.<name>.`.
    static var processorName: String { get }
    /// One line for `--help` and the README.
    static var summary: String { get }
    static var enabledByDefault: Bool { get }
    /// Keys relative to the processor's scope (`sentences`, not `processors.summary.sentences`);
    /// `enabled` and `timeout_ms` are added for every processor.
    static var configKeys: [ConfigKey] { get }
    /// True when a processor made from a new configuration may replace the running one on a
    /// reload (SIGHUP): it keeps nothing across documents. A processor with state of its own
    /// (a cache of the store, a tracker, child processes) keeps its instance, so its keys other
    /// than `timeout_ms` need a restart.
    static var appliesConfigurationOnReload: Bool { get }
    static func make(_ context: ProcessorContext) throws -> any Processor
}

extension ProcessorFactory {
    public static var enabledByDefault: Bool { true }
    public static var configKeys: [ConfigKey] { [] }
    public static var appliesConfigurationOnReload: Bool { false }
}

/// What a processor gets when it is made.
public struct ProcessorContext: Sendable {
    /// This processor's keys, read without the prefix.
    public var config: ScopedConfiguration
    /// Durable storage for processors that remember across documents and restarts; in-memory for
    /// one-shot runs (`seedwatch process`, evaluation commands).
    public var store: any ProcessorStateStore

    public init(config: ScopedConfiguration, store: any ProcessorStateStore) {
        self.config = config
        self.store = store
    }
}
