import FoundationEssentials
import Glibc
import SeedwatchCore

/// Writes results into the outbox, one file per document, atomically.
public struct OutboxWriter: Sendable {
    public let directory: String

    public init(directory: String) throws(SystemError) {
        try AtomicFile.ensureDirectory(directory)
        self.directory = directory
        AtomicFile.removeLeftovers(in: directory)
    }

    public static func fileName(id: String) -> String { id + ".json" }

    public func write(_ record: ResultRecord) throws(SystemError) {
        let bytes: [UInt8]
        do {
            bytes = try record.encoded()
        } catch {
            throw SystemError(operation: "encode", path: Self.fileName(id: record.id), code: EINVAL)
        }
        try AtomicFile.write(bytes, to: directory, name: Self.fileName(id: record.id))
    }

    /// Removes the result of an earlier version of a file (its content changed).
    public func remove(id: String) {
        unlink(directory + "/" + Self.fileName(id: id))
    }

    public func exists(id: String) -> Bool {
        access(directory + "/" + Self.fileName(id: id), F_OK) == 0
    }
}
