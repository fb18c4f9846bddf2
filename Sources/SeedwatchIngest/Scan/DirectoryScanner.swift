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
    /// sockets and links that will be quarantined), in name order. Sub-folders are entered
    /// only when recursive, and never through a symbolic link.
    public func scan(below relativeDirectory: String = "") throws(SystemError) -> ScanResult {
        var result = ScanResult()
        try walk(relativeDirectory, into: &result, depth: 0)
        return result
    }

    /// An entry's name bytes, read in place up to the NUL. Copying `d_name` as a value would read
    /// its declared 256 bytes, past the end of the buffer when the kernel packed a short last entry
    /// (found by AddressSanitizer).
    static func name(of entry: UnsafeMutablePointer<dirent>) -> [UInt8] {
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
        var entries: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(directory) {
            let bytes = Self.name(of: entry)
            if bytes == [0x2e] || bytes == [0x2e, 0x2e] { continue }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                result.badNames.append(Self.joined(relative, Self.escaped(bytes)))
                continue
            }
            if ignore.ignores(name: name) { continue }
            let type = entry.pointee.d_type
            var isDirectory = type == UInt8(DT_DIR)
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isDirectory = lstat(path + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            entries.append((name, isDirectory))
        }
        for entry in entries.sorted(by: { $0.name < $1.name }) {
            let child = Self.joined(relative, entry.name)
            if entry.isDirectory {
                result.directories.append(child)
                if recursive && depth < 64 { try walk(child, into: &result, depth: depth + 1) }
            } else {
                result.files.append(child)
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
    public var files: [String] = []
    public var directories: [String] = []
    /// Entries whose names are not valid UTF-8, escaped for display; never opened.
    public var badNames: [String] = []

    public init() {}
}
