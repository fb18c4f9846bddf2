import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchExecutors

/// Reads one file from the watch folder safely: regular files only, no symbolic links followed
/// (in any path component), never more than the size limit, and the content hashed once.
public struct FileIntake: Sendable {
    public var root: String
    public var maxSize: Int
    /// Wait until size and mtime have not changed for this long before reading.
    public var settle: Duration

    public init(root: String, maxSize: Int, settle: Duration = .zero) {
        self.root = root
        self.maxSize = maxSize
        self.settle = settle
    }

    /// What `stat` says about a file, enough to tell whether it changed.
    public struct Stamp: Sendable, Equatable {
        public var size: Int64
        public var modifiedNanoseconds: Int64
        public var kind: Kind

        public enum Kind: Sendable, Equatable { case regular, directory, symlink, other }

        public var modified: Date { Date(timeIntervalSince1970: Double(modifiedNanoseconds) / 1e9) }
    }

    public struct Content: Sendable {
        public var bytes: [UInt8]
        public var stamp: Stamp
        public var sha256: String
    }

    public enum Failure: Error, Sendable, Equatable {
        case vanished
        case notRegularFile(String)
        case symlink
        /// A path with `.` or `..` components: it could name something outside the watch folder.
        case badPath
        case tooLarge(size: Int64)
        case unreadable(SystemError)

        public var code: QuarantineCode {
            switch self {
            case .vanished: .vanished
            case .notRegularFile: .notRegularFile
            case .symlink: .symlink
            case .badPath: .badName
            case .tooLarge: .tooLarge
            case .unreadable: .unreadable
            }
        }

        /// The system was short of a resource (`EMFILE`, `ENFILE`: no file descriptor left), not
        /// the file at fault: the read is tried again later, and never quarantined.
        public var isTransient: Bool {
            guard case let .unreadable(error) = self else { return false }
            return error.code == EMFILE || error.code == ENFILE
        }

        public var message: String {
            switch self {
            case .vanished: "the file no longer exists"
            case let .notRegularFile(kind): "not a regular file (\(kind)); it was not opened"
            case .symlink: "a symbolic link; links are not followed"
            case .badPath: "the path has . or .. components; only paths inside the watch folder are read"
            case let .tooLarge(size): "\(size) bytes is over the limit"
            case let .unreadable(error): error.description
            }
        }
    }

    /// `lstat` of the entry itself (links are not followed).
    public func stamp(of relativePath: String) -> Stamp? {
        var info = stat()
        guard lstat(root + "/" + relativePath, &info) == 0 else { return nil }
        return Self.stamp(info)
    }

    /// Reads the file once it has settled. A transient failure (out of file descriptors) is
    /// retried with back-off until it clears; it is returned only when the task is cancelled.
    /// `retrying` is told of the first transient failure, so that the wait is not silent.
    public func read(
        _ relativePath: String, maxBackoff: Duration = .seconds(5), retrying: (Failure) -> Void = { _ in }
    ) async -> Result<Content, Failure> {
        if settle > .zero, case let .failure(failure) = await waitUntilSettled(relativePath) {
            return .failure(failure)
        }
        var delay = Duration.milliseconds(50)
        var told = false
        while true {
            let result = readNow(relativePath)
            guard case let .failure(failure) = result, failure.isTransient else { return result }
            if !told {
                told = true
                retrying(failure)
            }
            do {
                try await DaemonExecutors.sleep(for: delay)
            } catch {
                return result
            }
            delay = min(delay * 2, maxBackoff)
        }
    }

    func waitUntilSettled(_ relativePath: String) async -> Result<Void, Failure> {
        guard var last = stamp(of: relativePath) else { return .failure(.vanished) }
        // Bounded: a file that keeps changing for 1,000 settle periods is read as it is then.
        for _ in 0..<1000 {
            try? await DaemonExecutors.sleep(for: settle)
            guard let now = stamp(of: relativePath) else { return .failure(.vanished) }
            if now == last { return .success(()) }
            last = now
        }
        return .success(())
    }

    public func readNow(_ relativePath: String) -> Result<Content, Failure> {
        let components = relativePath.split(separator: "/").map(String.init)
        guard let name = components.last else { return .failure(.vanished) }
        guard !components.contains(where: { $0 == "." || $0 == ".." }) else { return .failure(.badPath) }
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return .failure(.unreadable(SystemError(operation: "open", path: root))) }
        defer { close(directory) }
        for component in components.dropLast() {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                return .failure(errno == ENOENT ? .vanished : errno == ELOOP || errno == ENOTDIR ? .symlink
                    : .unreadable(SystemError(operation: "open", path: relativePath)))
            }
            close(directory)
            directory = next
        }
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            return .failure(errno == ENOENT ? .vanished : .unreadable(SystemError(operation: "stat", path: relativePath)))
        }
        let before = Self.stamp(info)
        switch before.kind {
        case .regular: break
        case .symlink: return .failure(.symlink)
        case .directory: return .failure(.notRegularFile("directory"))
        case .other: return .failure(.notRegularFile(Self.kindName(info.st_mode)))
        }
        if before.size > Int64(maxSize) { return .failure(.tooLarge(size: before.size)) }
        // O_NONBLOCK: should the entry have been swapped for a FIFO since the stat, open won't hang.
        let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return .failure(.vanished)
            case ELOOP: return .failure(.symlink)
            default: return .failure(.unreadable(SystemError(operation: "open", path: relativePath)))
            }
        }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(SystemError(operation: "fstat", path: relativePath))) }
        let opened = Self.stamp(info)
        guard opened.kind == .regular else { return .failure(.notRegularFile(Self.kindName(info.st_mode))) }
        if opened.size > Int64(maxSize) { return .failure(.tooLarge(size: opened.size)) }
        return readAll(fd, relativePath: relativePath, stamp: opened)
    }

    private func readAll(_ fd: Int32, relativePath: String, stamp: Stamp) -> Result<Content, Failure> {
        var bytes = [UInt8](repeating: 0, count: Int(stamp.size) + 1)
        var total = 0
        var hasher = SHA256()
        while true {
            if total == bytes.count {
                // The file grew while being read: keep going up to the limit.
                if bytes.count > maxSize { return .failure(.tooLarge(size: Int64(bytes.count))) }
                bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), maxSize + 1 - bytes.count + 1)))
            }
            let count = bytes.withUnsafeMutableBytes { raw in
                POSIX.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[total...]))
            }
            if count < 0 {
                if errno == EAGAIN { continue }
                return .failure(.unreadable(SystemError(operation: "read", path: relativePath)))
            }
            if count == 0 { break }
            total += count
        }
        if total > maxSize { return .failure(.tooLarge(size: Int64(total))) }
        bytes.removeSubrange(total...)
        hasher.update(bytes)
        var final = stamp
        final.size = Int64(total)
        return .success(Content(bytes: bytes, stamp: final, sha256: SHA256.hexString(hasher.finalize())))
    }

    static func stamp(_ info: stat) -> Stamp {
        let kind: Stamp.Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .other
        }
        let nanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return Stamp(size: Int64(info.st_size), modifiedNanoseconds: nanoseconds, kind: kind)
    }

    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "FIFO"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFDIR: "directory"
        default: "special file"
        }
    }
}
