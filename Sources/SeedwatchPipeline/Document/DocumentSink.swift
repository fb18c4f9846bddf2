import SeedwatchCore
import SeedwatchExecutors

/// Where the pipeline puts a document's outcome: results and duplicate records, quarantine
/// records. The daemon's is the outbox and quarantine folders (`OutboxSink`); `seedwatch process`
/// prints instead.
public protocol DocumentSink: Sendable {
    /// Writes a result (processed or duplicate); durable when it returns.
    func write(_ record: ResultRecord) async throws
    /// Writes a quarantine record; durable when it returns.
    func quarantine(_ record: QuarantineWriter.Record) async throws
    /// Removes the result of an earlier version of a file (its content changed).
    func removeResult(id: String)
    /// Removes a file's quarantine record (it has another outcome now).
    func clearQuarantine(relativePath: String)
}

/// The daemon's sink: `outbox/<id>.json` and `quarantine/<name>.error.json`, each written
/// atomically.
public struct OutboxSink: DocumentSink {
    public let outbox: OutboxWriter
    public let quarantine: QuarantineWriter

    public init(outbox: String, quarantine: String) throws(SystemError) {
        self.outbox = try OutboxWriter(directory: outbox)
        self.quarantine = try QuarantineWriter(directory: quarantine)
    }

    init(outbox: OutboxWriter, quarantine: QuarantineWriter) {
        self.outbox = outbox
        self.quarantine = quarantine
    }

    /// The result written (temporary name, `fsync`, `rename`, folder `fsync` shared with the results
    /// written together) on a thread of the blocking pool: on Swift's pool (one thread per core),
    /// two documents waiting for a slow disk would hold every thread, and nothing else in the
    /// daemon would run meanwhile. Returns once the result's name is durable: the pipeline records
    /// the document in the ledger only then.
    public func write(_ record: ResultRecord) async throws {
        _ = try await writeReturningBytes(record)
    }

    /// `write`, returning the bytes of the file written: what a cluster's database stores beside it.
    public func writeReturningBytes(_ record: ResultRecord) async throws -> [UInt8] {
        try await BlockingThreadPool.shared.run { () throws(SystemError) in try outbox.write(record) }
    }

    public func quarantine(_ record: QuarantineWriter.Record) async throws {
        try await BlockingThreadPool.shared.run { () throws(SystemError) in try quarantine.write(record) }
    }

    public func removeResult(id: String) {
        outbox.remove(id: id)
    }

    public func clearQuarantine(relativePath: String) {
        quarantine.clear(relativePath: relativePath)
    }
}
