import FoundationEssentials
import Glibc
import SeedwatchCore

/// `outbox/alerts.jsonl`: one JSON line per alert, appended. Each line goes out in one
/// `write` on an `O_APPEND` descriptor and is `fsync`ed, so lines never interleave and a reader
/// never sees half a line except after a crash mid-write — which a reader tolerates by skipping
/// a last line without its newline.
public final class AlertFile: AlertLog {
    public static let fileName = "alerts.jsonl"
    public let path: String
    private let lock = Locked(())

    public init(directory: String) {
        path = directory + "/" + Self.fileName
    }

    public func append(_ alert: RaisedAlert, time: Date) throws {
        guard var line = AlertLine.encoded(alert, time: time) else {
            throw SystemError(operation: "encode", path: path, code: EINVAL)
        }
        line.append(0x0A)
        try lock.withLock { _ throws(SystemError) in
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw SystemError(operation: "open", path: path, code: errno) }
            defer { close(fd) }
            // A previous crash may have left a partial last line: start on a fresh line.
            var info = stat()
            if fstat(fd, &info) == 0, info.st_size > 0, !Self.endsWithNewline(path: path, size: Int64(info.st_size)) {
                line.insert(0x0A, at: 0)
            }
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count else { throw SystemError(operation: "write", path: path, code: written < 0 ? errno : EIO) }
            guard fsync(fd) == 0 else { throw SystemError(operation: "fsync", path: path, code: errno) }
        }
    }

    /// Every complete line; a partial line (a crash mid-write) and blank lines are skipped.
    public func alerts() throws -> [JSONValue] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return [] }
            throw SystemError(operation: "open", path: path, code: errno)
        }
        defer { close(fd) }
        guard let bytes = PseudoFile.readToEnd(fd) else { throw SystemError(operation: "read", path: path, code: errno) }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        lines.removeLast()  // after the last newline: empty, or a line cut short
        return lines.compactMap { $0.isEmpty ? nil : JSONValue.parse($0) }
    }

    private static func endsWithNewline(path: String, size: Int64) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var byte: UInt8 = 0
        return pread(fd, &byte, 1, off_t(size - 1)) == 1 && byte == 0x0A
    }
}
