import FoundationEssentials

/// A ledger kept in memory: for tests and embedders that want the daemon's decisions without a
/// database. Times are kept to the millisecond, as the state database stores them. Paths are
/// keyed by their bytes, as the file system and the database tell them apart (`String ==` would
/// merge two spellings that differ only in Unicode normalisation).
public final class MemoryLedger: FileLedger {
    private let rows = Locked<[[UInt8]: LedgerEntry]>([:])

    public init() {}

    public func entry(path: String) throws -> LedgerEntry? {
        rows.withLock { $0[Array(path.utf8)] }
    }

    public func processed(sha256: String, excluding path: String) throws -> LedgerEntry? {
        rows.withLock { rows in
            rows.values.filter { $0.sha256 == sha256 && $0.status == .processed && !$0.path.utf8.elementsEqual(path.utf8) }.min(by: Self.earlier)
        }
    }

    public func duplicates(of path: String, sha256: String) throws -> [LedgerEntry] {
        rows.withLock { rows in
            rows.values.filter { $0.status == .duplicate && $0.duplicateOf?.utf8.elementsEqual(path.utf8) == true && $0.sha256 == sha256 }.sorted(by: Self.earlier)
        }
    }

    public func record(_ entry: LedgerEntry) throws {
        var stored = entry
        stored.updatedAt = Date(timeIntervalSince1970: (entry.updatedAt.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        rows.withLock { $0[Array(entry.path.utf8)] = stored }
    }

    public func forget(path: String) throws {
        rows.withLock { _ = $0.removeValue(forKey: Array(path.utf8)) }
    }

    public func counts() throws -> [LedgerStatus: Int] {
        rows.withLock { rows in rows.values.reduce(into: [:]) { $0[$1.status, default: 0] += 1 } }
    }

    /// Earlier update first; the path breaks ties, so the order never depends on hashing.
    private static func earlier(_ a: LedgerEntry, _ b: LedgerEntry) -> Bool {
        a.updatedAt != b.updatedAt ? a.updatedAt < b.updatedAt : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
    }
}

/// A ledger that remembers nothing: every file is new, no content is a duplicate. For
/// `seedwatch process`, which runs the pipeline on the files it is given and leaves no trace.
public struct ForgetfulLedger: FileLedger {
    public init() {}

    public func entry(path: String) throws -> LedgerEntry? { nil }
    public func processed(sha256: String, excluding path: String) throws -> LedgerEntry? { nil }
    public func duplicates(of path: String, sha256: String) throws -> [LedgerEntry] { [] }
    public func record(_ entry: LedgerEntry) throws {}
    public func forget(path: String) throws {}
    public func counts() throws -> [LedgerStatus: Int] { [:] }
}
