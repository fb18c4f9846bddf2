import Glibc
import SeedwatchCore

/// Lists what is in the watch folder: the catch-up scan at start and the rescan after an
/// inotify queue overflow.
public struct DirectoryScanner: Sendable {
    public var root: String
    public var recursive: Bool
    public var ignore: IgnorePatterns

    public init(root: String, recursive: Bool, ignore: IgnorePatterns) {
        self.root = root
        self.recursive = recursive
        self.ignore = ignore
    }

    /// Relative paths of every entry that is not a directory (regular files, and the FIFOs,
    /// sockets and links that will be quarantined), oldest mtime first, then in name order (by
    /// bytes), so an original is queued before a follow-up written after it. Sub-folders are
    /// entered only when recursive, and never through a symbolic link.
    public func scan(below relativeDirectory: String = "") throws(SystemError) -> ScanResult {
        var result = ScanResult()
        try walk(relativeDirectory, into: &result, depth: 0)
        result.scanned.sort { $0.precedes($1) }
        return result
    }

    /// An entry's name bytes, read in place up to the NUL. Copying `d_name` as a value would read
    /// its declared 256 bytes, past the end of the buffer when the kernel packed a short last entry
    /// (found by AddressSanitizer).
    public static func name(of entry: UnsafeMutablePointer<dirent>) -> [UInt8] {
        withUnsafeMutablePointer(to: &entry.pointee.d_name) { tuple in
            let start = UnsafeRawPointer(tuple).assumingMemoryBound(to: CChar.self)
            return Array(UnsafeRawBufferPointer(start: start, count: strlen(start)))
        }
    }

    private func walk(_ relative: String, into result: inout ScanResult, depth: Int) throws(SystemError) {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard let directory = opendir(path) else {
            if relative.isEmpty { throw SystemError(operation: "opendir", path: path) }
            return  // a sub-folder that vanished mid-scan
        }
        defer { closedir(directory) }
        var entries: [(name: String, isDirectory: Bool, modified: Int64)] = []
        while let entry = readdir(directory) {
            let bytes = Self.name(of: entry)
            if bytes == [0x2e] || bytes == [0x2e, 0x2e] { continue }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                result.badNames.append(Self.joined(relative, Self.escaped(bytes)))
                continue
            }
            if ignore.ignores(name: name) { continue }
            var info = stat()
            // An entry gone since readdir sorts first; the intake then finds it vanished.
            let found = fstatat(dirfd(directory), name, &info, AT_SYMLINK_NOFOLLOW) == 0
            let type = entry.pointee.d_type
            var isDirectory = type == UInt8(DT_DIR)
            if type == UInt8(DT_UNKNOWN) { isDirectory = found && info.st_mode & S_IFMT == S_IFDIR }
            let modified = found ? Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec) : Int64.min
            entries.append((name, isDirectory, modified))
        }
        for entry in entries.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            let child = Self.joined(relative, entry.name)
            if entry.isDirectory {
                result.directories.append(child)
                if recursive && depth < 64 { try walk(child, into: &result, depth: depth + 1) }
            } else {
                result.scanned.append(ScannedFile(path: child, modifiedNanoseconds: entry.modified))
            }
        }
    }

    static func joined(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }

    /// A printable stand-in for a name that is not UTF-8: the bad bytes as `%XX`.
    public static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            var end = index + 1
            while end <= bytes.count, end - index <= 4 {
                if let piece = String(validating: bytes[index..<end], as: UTF8.self) {
                    out += piece
                    break
                }
                end += 1
            }
            if end > bytes.count || end - index > 4 {
                out += "%" + String(bytes[index], radix: 16, uppercase: true)
                index += 1
            } else {
                index = end
            }
        }
        return out
    }
}

public struct ScanResult: Sendable, Equatable {
    /// Files in queue order: oldest mtime first, then by name.
    public var scanned: [ScannedFile] = []
    public var files: [String] { scanned.map(\.path) }
    public var directories: [String] = []
    /// Entries whose names are not valid UTF-8, escaped for display; never opened.
    public var badNames: [String] = []

    public init() {}
}

/// A file found by a scan, with what orders it in the queue.
public struct ScannedFile: Sendable, Equatable {
    public var path: String
    public var modifiedNanoseconds: Int64

    public init(path: String, modifiedNanoseconds: Int64) {
        self.path = path
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    /// Queue order: older mtime first, then the name's bytes (never `String <`, under which two
    /// spellings of one name in different Unicode normalisations are equal).
    public func precedes(_ other: ScannedFile) -> Bool {
        if modifiedNanoseconds != other.modifiedNanoseconds { return modifiedNanoseconds < other.modifiedNanoseconds }
        return path.utf8.lexicographicallyPrecedes(other.path.utf8)
    }
}
