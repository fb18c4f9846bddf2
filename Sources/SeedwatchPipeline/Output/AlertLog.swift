import FoundationEssentials
import Glibc
import SeedwatchCore

/// `outbox/alerts.jsonl`: one JSON line per alert, appended. Each line goes out in one
/// `write` on an `O_APPEND` descriptor and is `fsync`ed, so lines never interleave and a reader
/// never sees half a line except after a crash mid-write — which a reader tolerates by skipping
/// a last line without its newline.
public final class AlertLog: Sendable {
    public static let fileName = "alerts.jsonl"
    public let path: String
    private let lock = Locked(())

    public init(directory: String) {
        path = directory + "/" + Self.fileName
    }

    public func append(_ alert: RaisedAlert, time: Date) throws(WriteError) {
        var record: [String: JSONValue] = [:]
        if case let .object(members) = alert.record { record = members }
        record["class"] = .string(alert.alertClass)
        record["message_id"] = .string(alert.messageID)
        record["time"] = .string(Timestamp.format(time))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? [UInt8](encoder.encode(JSONValue.object(record))) else {
            throw WriteError(operation: "encode", path: path, code: EINVAL)
        }
        line.append(0x0A)
        try lock.withLock { _ throws(WriteError) in
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw WriteError(operation: "open", path: path, code: errno) }
            defer { close(fd) }
            // A previous crash may have left a partial last line: start on a fresh line.
            var info = stat()
            if fstat(fd, &info) == 0, info.st_size > 0, !Self.endsWithNewline(path: path, size: Int64(info.st_size)) {
                line.insert(0x0A, at: 0)
            }
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count else { throw WriteError(operation: "write", path: path, code: written < 0 ? errno : EIO) }
            guard fsync(fd) == 0 else { throw WriteError(operation: "fsync", path: path, code: errno) }
        }
    }

    private static func endsWithNewline(path: String, size: Int64) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var byte: UInt8 = 0
        return pread(fd, &byte, 1, off_t(size - 1)) == 1 && byte == 0x0A
    }
}
