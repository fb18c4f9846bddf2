import FoundationEssentials
import Glibc
import SeedwatchCore

/// Writes `quarantine/<name>.error.json` for files that cannot be processed.
public struct QuarantineWriter: Sendable {
    public let directory: String

    public init(directory: String) throws(SystemError) {
        try AtomicFile.ensureDirectory(directory)
        self.directory = directory
        AtomicFile.removeLeftovers(in: directory)
    }

    public struct Record: Encodable, Sendable {
        public var schema = "seedwatch.quarantine/1"
        public var code: String
        public var message: String
        public var advice: String
        public var path: String
        public var relativePath: String
        public var size: Int64?
        public var sha256: String?
        public var time: String
        /// Where the input went (`ingest.after` move or delete); absent when it stays in the watch folder.
        public var movedTo: String?

        enum CodingKeys: String, CodingKey {
            case schema, code, message, advice, path, size, sha256, time
            case relativePath = "relative_path"
            case movedTo = "moved_to"
        }

        public init(code: QuarantineCode, message: String, path: String, relativePath: String, size: Int64?, sha256: String?, time: Date) {
            self.code = code.rawValue
            self.message = message
            self.advice = code.advice
            self.path = path
            self.relativePath = relativePath
            self.size = size
            self.sha256 = sha256
            self.time = Timestamp.format(time)
        }
    }

    public func write(_ record: Record) throws(SystemError) {
        let name = ResultNaming.quarantineName(relativePath: record.relativePath)
        guard var bytes = try? SortedJSONEncoder.encode(record) else {
            throw SystemError(operation: "encode", path: name, code: EINVAL)
        }
        bytes.append(0x0A)
        try AtomicFile.write(bytes, to: directory, name: name)
    }

    /// Removes a stale record once the file has been processed after all.
    public func clear(relativePath: String) {
        unlink(directory + "/" + ResultNaming.quarantineName(relativePath: relativePath))
    }
}
