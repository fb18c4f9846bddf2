import CSpawn
import Glibc
import SeedwatchCore

/// Moves a file into a folder under the first free name (`a.txt`, `a-1.txt`, `a-2.txt` …), never
/// replacing anything, and never leaving two halves: on one file system a single
/// `renameat2(RENAME_NOREPLACE)`; across file systems a copy to a temporary name beside the
/// target, `fsync`, a no-replace rename into place, then the source unlinked.
///
/// A move cut short by a crash is finished by calling it again: a taken name that is the source
/// itself (a link left by the fallback below), or, across file systems, a complete copy with the
/// source's content, counts as the move, and only the source is removed.
public enum FileMove {
    /// Where `source` went.
    @discardableResult
    public static func move(_ source: String, into folder: String, relativePath: String, sha256: String?) throws(SystemError) -> String {
        var sourceInfo = stat()
        guard lstat(source, &sourceInfo) == 0 else { throw SystemError(operation: "stat", path: source) }
        let target = folder + "/" + relativePath
        let parent = directory(of: target)
        try AtomicFile.ensureDirectory(parent)
        var parentInfo = stat()
        guard stat(parent, &parentInfo) == 0 else { throw SystemError(operation: "stat", path: parent) }
        let crossDevice = parentInfo.st_dev != sourceInfo.st_dev
        // A FIFO, socket or link cannot be copied; it stays where it is.
        if crossDevice && sourceInfo.st_mode & S_IFMT != S_IFREG { throw SystemError(operation: "move", path: source, code: EXDEV) }
        for attempt in 0... {
            let candidate = attempt == 0 ? target : suffixed(target, attempt)
            var info = stat()
            if lstat(candidate, &info) == 0 {
                if isSameFile(info, sourceInfo) || (crossDevice && hasContent(candidate, info: info, of: sourceInfo, sha256: sha256)) {
                    try removeSource(source)
                    return candidate
                }
                continue
            }
            let placed = crossDevice
                ? try copyIntoPlace(source, as: candidate, temporaryFolder: folder)
                : try renameNoReplace(source, candidate)
            guard placed else { continue }
            try AtomicFile.syncDirectory(parent)
            if crossDevice {
                try removeSource(source)
            } else {
                try AtomicFile.syncDirectory(directory(of: source))
            }
            return candidate
        }
        // `0...` never ends; the loop returns or throws.
        throw SystemError(operation: "move", path: source, code: EEXIST)
    }

    /// The path `move` would take now: `folder/relativePath`, or the first free suffixed name.
    public static func firstFreeName(in folder: String, relativePath: String) -> String {
        let target = folder + "/" + relativePath
        var info = stat()
        for attempt in 0... {
            let candidate = attempt == 0 ? target : suffixed(target, attempt)
            if lstat(candidate, &info) != 0 { return candidate }
        }
        return target
    }

    /// `a/b.txt` → `a/b-2.txt`; `a/b` → `a/b-2`; `a/.b` → `a/.b-2` (a leading dot is no extension).
    static func suffixed(_ path: String, _ number: Int) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return String(path[..<dot]) + "-\(number)" + String(path[dot...])
        }
        return path + "-\(number)"
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func isSameFile(_ a: stat, _ b: stat) -> Bool {
        a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    private static func removeSource(_ source: String) throws(SystemError) {
        if unlink(source) != 0 && errno != ENOENT { throw SystemError(operation: "unlink", path: source) }
        try AtomicFile.syncDirectory(directory(of: source))
    }

    /// A regular file of the source's size whose SHA-256 is the source's: the copy of an earlier
    /// move that was cut off before it unlinked the source.
    private static func hasContent(_ path: String, info: stat, of source: stat, sha256: String?) -> Bool {
        guard let sha256, info.st_mode & S_IFMT == S_IFREG, source.st_mode & S_IFMT == S_IFREG, info.st_size == source.st_size else { return false }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { POSIX.read(fd, into: $0) }
            if count < 0 { return false }
            if count == 0 { break }
            hash.update(buffer[..<count])
        }
        return SHA256.hexString(hash.finalize()) == sha256
    }

    /// False when `target` is taken (nothing changed).
    private static func renameNoReplace(_ from: String, _ target: String) throws(SystemError) -> Bool {
        if cspawn_rename_noreplace(from, target) == 0 { return true }
        switch errno {
        case EEXIST:
            return false
        case EINVAL, ENOSYS, ENOTSUP:
            // A file system without RENAME_NOREPLACE: a hard link cannot replace either. Cut short
            // between the two, both names are the same file, which the caller recognises.
            if link(from, target) == 0 {
                if unlink(from) != 0 { throw SystemError(operation: "unlink", path: from) }
                return true
            }
            if errno == EEXIST { return false }
            throw SystemError(operation: "link", path: target)
        default:
            throw SystemError(operation: "rename", path: target)
        }
    }

    /// Copies `source` to a temporary name in `temporaryFolder` (on the target's file system),
    /// `fsync`s it and renames it to `target` without replacing; false when `target` is taken.
    private static func copyIntoPlace(_ source: String, as target: String, temporaryFolder: String) throws(SystemError) -> Bool {
        let temporary = temporaryFolder + "/" + AtomicFile.temporaryPrefix + "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let input = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard input >= 0 else { throw SystemError(operation: "open", path: source) }
        defer { close(input) }
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw SystemError(operation: "create", path: temporary) }
        do throws(SystemError) {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { POSIX.read(input, into: $0) }
                if count < 0 { throw SystemError(operation: "read", path: source) }
                if count == 0 { break }
                try POSIX.writeAll(Array(buffer[..<count]), to: output, path: temporary)
            }
            if fsync(output) != 0 { throw SystemError(operation: "fsync", path: temporary) }
            close(output)
        } catch {
            close(output)
            unlink(temporary)
            throw error
        }
        do throws(SystemError) {
            let placed = try renameNoReplace(temporary, target)
            if !placed { unlink(temporary) }
            return placed
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
