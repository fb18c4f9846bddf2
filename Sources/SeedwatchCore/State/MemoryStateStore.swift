
/// Processor state kept in memory only: for one-shot runs and tests.
public final class MemoryStateStore: ProcessorStateStore {
    private let entries = Locked<[String: [String: [UInt8]]]>([:])

    public init() {}

    public func load(namespace: String, key: String) throws -> [UInt8]? {
        entries.withLock { $0[namespace]?[key] }
    }

    public func save(namespace: String, key: String, value: [UInt8]) throws {
        entries.withLock { $0[namespace, default: [:]][key] = value }
    }

    public func remove(namespace: String, key: String) throws {
        entries.withLock { _ = $0[namespace]?.removeValue(forKey: key) }
    }

    /// Under one lock: no reader sees half of a batch.
    public func apply(namespace: String, _ changes: [ProcessorStateChange]) throws {
        entries.withLock { entries in
            for change in changes {
                switch change {
                case let .save(key, value): entries[namespace, default: [:]][key] = value
                case let .remove(key): _ = entries[namespace]?.removeValue(forKey: key)
                }
            }
        }
    }

    public func keys(namespace: String) throws -> [String] {
        entries.withLock { ($0[namespace]?.keys).map { $0.sorted() } ?? [] }
    }
}
