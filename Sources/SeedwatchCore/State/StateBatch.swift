/// The state writes of several documents, applied as one transaction (group commit, `GroupCommit`).
///
/// Rows, not statements, so every back end applies a batch its own way in few round trips: SQLite
/// runs one prepared statement per row inside one transaction; PostgreSQL can send each list as
/// arrays (`unnest`) in one statement, all of them pipelined in one round trip. Each key and each
/// ledger path appears once, with its last change (what the writes in order would leave), and the
/// lists are sorted, so two daemons on one database touch rows in the same order. The dashboard
/// index's writes stay in queue order (they decide its order of documents) and come last.
public struct StateBatch: Sendable, Equatable {
    /// Compared, hashed and ordered by bytes, as the database compares them: `String ==` would
    /// take two keys that differ only in Unicode normalisation for one, and drop a write.
    public struct Key: Hashable, Sendable, Comparable {
        public var namespace: String
        public var key: String

        public init(namespace: String, key: String) {
            self.namespace = namespace
            self.key = key
        }

        public static func == (a: Key, b: Key) -> Bool {
            a.namespace.utf8.elementsEqual(b.namespace.utf8) && a.key.utf8.elementsEqual(b.key.utf8)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(Array(namespace.utf8))
            hasher.combine(Array(key.utf8))
        }

        public static func < (a: Key, b: Key) -> Bool {
            if !a.namespace.utf8.elementsEqual(b.namespace.utf8) { return a.namespace.utf8.lexicographicallyPrecedes(b.namespace.utf8) }
            return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
    }

    private var changes: [Key: ProcessorStateChange] = [:]
    /// By the path's bytes: two names in different Unicode normalisations are two files.
    private var entries: [[UInt8]: LedgerEntry] = [:]
    /// In queue order, not merged: the order of recording is the index's order of documents.
    public private(set) var indexChanges: [DocumentIndexChange] = []

    public init() {}

    /// Adds writes after those already in the batch: a later change to a key replaces an earlier one.
    public mutating func add(namespace: String, _ changes: [ProcessorStateChange]) {
        for change in changes { self.changes[Key(namespace: namespace, key: change.key)] = change }
    }

    /// Adds a ledger row after those already in the batch: a later row for a path replaces an earlier one.
    public mutating func add(_ entry: LedgerEntry) {
        entries[Array(entry.path.utf8)] = entry
    }

    /// Adds dashboard index writes after those already in the batch.
    public mutating func add(_ changes: [DocumentIndexChange]) {
        indexChanges += changes
    }

    public var isEmpty: Bool { changes.isEmpty && entries.isEmpty && indexChanges.isEmpty }

    /// Processor state to insert or replace, by key.
    public var saves: [(key: Key, value: [UInt8])] {
        changes.compactMap { key, change in
            if case let .save(_, value) = change { (key, value) } else { nil }
        }.sorted { $0.key < $1.key }
    }

    /// Processor state to delete, by key.
    public var removals: [Key] {
        changes.compactMap { key, change in
            if case .remove = change { key } else { nil }
        }.sorted()
    }

    /// Ledger rows to insert or replace, by path.
    public var ledgerEntries: [LedgerEntry] {
        entries.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}

/// A back end that applies a `StateBatch` in one transaction: all of it, or (throwing) none of it.
public protocol StateBatchWriter: Sendable {
    func apply(_ batch: StateBatch) throws
}

extension ProcessorStateChange {
    public var key: String {
        switch self {
        case let .save(key, _), let .remove(key): key
        }
    }
}
