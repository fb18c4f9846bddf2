import FoundationEssentials
import Glibc
import SeedwatchCore

/// `outbox/alerts.jsonl`: one JSON line per alert, appended. Each line goes out in one
/// `write` on an `O_APPEND` descriptor and is `fsync`ed, so lines never interleave and a reader
/// never sees half a line except after a crash mid-write — which a reader tolerates by skipping
/// a last line without its newline.
///
/// An alert raised again for a document processed again after a kill -9 is among the last lines
/// (at most the documents then in flight came after it): the identities of the file's last
/// `tailBytes`, read at the first append, and of the lines appended since, the latest
/// `rememberedLines` of them, keep it from being written twice.
public final class AlertFile: AlertLog {
    public static let fileName = "alerts.jsonl"
    static let tailBytes = 4 << 20
    static let rememberedLines = 8192
    public let path: String
    private let recent = Locked<RecentIdentities?>(nil)

    public init(directory: String) {
        path = directory + "/" + Self.fileName
    }

    public func append(_ alert: RaisedAlert, time: Date) throws {
        guard var line = AlertLine.encoded(alert, time: time) else {
            throw SystemError(operation: "encode", path: path, code: EINVAL)
        }
        line.append(0x0A)
        let identity = AlertLine.identity(alert)
        try recent.withLock { recent throws(SystemError) in
            if recent == nil { recent = RecentIdentities(lines: try tailLines(), limit: Self.rememberedLines) }
            if let identity, recent?.contains(identity) == true { return }
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
            if let identity { recent?.insert(identity) }
        }
    }

    /// The complete lines of the file's last `tailBytes` (the first, maybe cut, left out).
    private func tailLines() throws(SystemError) -> [JSONValue] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return [] }
            throw SystemError(operation: "open", path: path, code: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError(operation: "stat", path: path, code: errno) }
        let start = max(0, Int(info.st_size) - Self.tailBytes)
        guard lseek(fd, off_t(start), SEEK_SET) >= 0 else { throw SystemError(operation: "seek", path: path, code: errno) }
        guard let bytes = PseudoFile.readToEnd(fd) else { throw SystemError(operation: "read", path: path, code: errno) }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        lines.removeLast()
        if start > 0, !lines.isEmpty { lines.removeFirst() }
        return lines.compactMap { $0.isEmpty ? nil : JSONValue.parse($0) }
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

/// The identities of the latest alert lines, at most `limit`, oldest forgotten first.
struct RecentIdentities {
    private var order: [String] = []
    private var members: Set<String> = []
    private var next = 0
    let limit: Int

    init(lines: [JSONValue], limit: Int) {
        self.limit = limit
        for line in lines { if let identity = AlertLine.identity(ofLine: line) { insert(identity) } }
    }

    func contains(_ identity: String) -> Bool { members.contains(identity) }

    mutating func insert(_ identity: String) {
        guard members.insert(identity).inserted else { return }
        if order.count < limit {
            order.append(identity)
        } else {
            members.remove(order[next])
            order[next] = identity
            next = (next + 1) % limit
        }
    }
}
