import FoundationEssentials
import SeedwatchCore
import Glibc

/// Writes a file so that no reader ever sees it partial: a temporary name in the same folder,
/// `fsync`, `rename`, then `fsync` of the folder so the rename itself survives a crash.
public enum AtomicFile {
    /// Temporary files start with this, so anything listing the folder (and seedwatch's own
    /// ignore patterns) can tell them from results; leftovers from a crash are removed at start.
    public static let temporaryPrefix = ".tmp-"

    public static func write(_ bytes: [UInt8], to directory: String, name: String) throws(SystemError) {
        try replace(bytes, in: directory, name: name)
        try syncDirectory(directory)
    }

    /// A temporary name for `name`, unique to this process and call.
    static func temporaryName(for name: String) -> String {
        "\(temporaryPrefix)\(getpid())-\(UInt64.random(in: 0...UInt64.max))-\(name.prefix(100))"
    }

    /// `write` without the folder `fsync`, under the temporary name given: the file is complete
    /// under its name, but the name is not durable until the folder is synced.
    static func replace(_ bytes: [UInt8], in directory: String, name: String, temporary: String? = nil) throws(SystemError) {
        let temporaryPath = directory + "/" + (temporary ?? temporaryName(for: name))
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError(operation: "create", path: temporaryPath, code: errno) }
        do {
            try POSIX.writeAll(bytes, to: fd, path: temporaryPath)
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporaryPath)
            throw SystemError(operation: "fsync", path: temporaryPath, code: code)
        }
        close(fd)
        let finalPath = directory + "/" + name
        if rename(temporaryPath, finalPath) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw SystemError(operation: "rename", path: finalPath, code: code)
        }
    }

    public static func syncDirectory(_ directory: String) throws(SystemError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(operation: "open", path: directory, code: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw SystemError(operation: "fsync", path: directory, code: errno) }
    }

    /// Removes temporary files a crash left behind in `directory`; returns how many.
    @discardableResult
    public static func removeLeftovers(in directory: String) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(temporaryPrefix) {
            if unlink(directory + "/" + name) == 0 { removed += 1 }
        }
        return removed
    }

    /// Creates a folder (and its parents) if missing.
    public static func ensureDirectory(_ path: String) throws(SystemError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SystemError(operation: "mkdir", path: path, wrapping: error)
        }
    }
}
