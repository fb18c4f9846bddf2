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

/// Key-value storage for processor state, kept in the state database by the daemon.
/// Keys are namespaced by the processor's name. Writes are durable when the call returns.
public protocol ProcessorStateStore: Sendable {
    func load(namespace: String, key: String) throws -> [UInt8]?
    /// The values of several keys; keys without a value are absent from the result. One indexed
    /// query where the store can, for processors that keep most of their state out of memory and
    /// look it up per document.
    func load(namespace: String, keys: [String]) throws -> [String: [UInt8]]
    func save(namespace: String, key: String, value: [UInt8]) throws
    func remove(namespace: String, key: String) throws
    /// All keys of a namespace, in ascending order.
    func keys(namespace: String) throws -> [String]
    /// Several saves and removals at once, all or nothing where the store can: one transaction
    /// instead of one per key (a document's state changes are written together).
    func apply(namespace: String, _ changes: [ProcessorStateChange]) throws
}

/// One write of `ProcessorStateStore.apply`.
public enum ProcessorStateChange: Sendable, Equatable {
    case save(key: String, value: [UInt8])
    case remove(key: String)
}

extension ProcessorStateStore {
    /// One call per key, for stores without a query language.
    public func load(namespace: String, keys: [String]) throws -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        for key in keys where values[key] == nil {
            if let value = try load(namespace: namespace, key: key) { values[key] = value }
        }
        return values
    }

    /// One call per change, for stores without transactions.
    public func apply(namespace: String, _ changes: [ProcessorStateChange]) throws {
        for change in changes {
            switch change {
            case let .save(key, value): try save(namespace: namespace, key: key, value: value)
            case let .remove(key): try remove(namespace: namespace, key: key)
            }
        }
    }
}
