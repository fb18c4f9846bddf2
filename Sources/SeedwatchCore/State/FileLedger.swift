import FoundationEssentials

/// The record of every file dealt with, so a restart reprocesses nothing unchanged and the same
/// content under a second name is recognised. One row per path (relative to the watch folder).
/// Implementations: the daemon's state database (SeedwatchState), `MemoryLedger` (tests), `ForgetfulLedger`
/// (`seedwatch process`); each passes the contract tests in `Tests/SeedwatchStateTests/Contract`.
public protocol FileLedger: Sendable {
    func entry(path: String) throws -> LedgerEntry?
    /// The first file processed with this content (earliest `updatedAt`), other than `path`.
    func processed(sha256: String, excluding path: String) throws -> LedgerEntry?
    /// The files recorded as duplicates of `path`'s content `sha256`, earliest first.
    func duplicates(of path: String, sha256: String) throws -> [LedgerEntry]
    /// Inserts or replaces the row of `entry.path`.
    func record(_ entry: LedgerEntry) throws
    /// The same, written together with other writes waiting for the next group commit
    /// (`GroupCommit`): durable when the call returns.
    func recordGrouped(_ entry: LedgerEntry) async throws
    /// Drops what the ledger knows about `path`, so its next arrival is processed afresh.
    func forget(path: String) throws
    func counts() throws -> [LedgerStatus: Int]
}

extension FileLedger {
    /// Ledgers without group commit write at once.
    public func recordGrouped(_ entry: LedgerEntry) async throws {
        try record(entry)
    }
}

public enum LedgerStatus: String, Sendable, Codable, CaseIterable {
    case processed
    case duplicate
    case quarantined
}

public struct LedgerEntry: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modifiedNanoseconds: Int64
    public var sha256: String
    public var status: LedgerStatus
    public var duplicateOf: String?
    public var resultID: String?
    public var code: String?
    public var updatedAt: Date

    public init(
        path: String, size: Int64, modifiedNanoseconds: Int64, sha256: String, status: LedgerStatus,
        duplicateOf: String? = nil, resultID: String? = nil, code: String? = nil, updatedAt: Date = Date()
    ) {
        self.path = path
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.sha256 = sha256
        self.status = status
        self.duplicateOf = duplicateOf
        self.resultID = resultID
        self.code = code
        self.updatedAt = updatedAt
    }
}
