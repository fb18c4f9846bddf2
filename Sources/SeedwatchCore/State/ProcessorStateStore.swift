/// Key-value storage for processor state, kept in the state database by the daemon (beside the
/// ledger, `FileLedger`, and the alert log, `AlertLog`).
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
    /// instead of one per key (a document's state changes are written together). This is the
    /// seam for state kept as deltas: a processor that changes a few keys per document hands
    /// over just those changes, and each store makes them one transaction in its own way.
    func apply(namespace: String, _ changes: [ProcessorStateChange]) throws
    /// Queues changes for the next group commit (`GroupCommit`) and returns at once: `load` and
    /// `keys` see them from now on; `StateCommit.wait()` returns when they are durable. Changes are
    /// written in the order they were queued, each call's all together or not at all. Refused (the
    /// commit fails) when `generation` is not the store's: the caller's memory is out of date.
    func enqueue(namespace: String, _ changes: [ProcessorStateChange], generation: UInt64) -> StateCommit
    /// Changes when queued writes were lost (their batch failed): a processor that computed state
    /// on an earlier generation reloads it from the store before its next document.
    var generation: UInt64 { get }
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

    /// Stores without group commit write at once.
    public func enqueue(namespace: String, _ changes: [ProcessorStateChange], generation: UInt64) -> StateCommit {
        do {
            try apply(namespace: namespace, changes)
            return .done
        } catch {
            return .failed(error)
        }
    }

    public var generation: UInt64 { 0 }

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
