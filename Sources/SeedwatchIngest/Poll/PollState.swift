import Glibc

// What the poller remembers between polls, and the stamps it compares.

/// A relative path, compared and hashed by its bytes: two spellings of one name in different
/// Unicode normalisations are two files.
struct FolderPath: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ path: String) { bytes = Array(path.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }

    var path: String { String(decoding: bytes, as: UTF8.self) }
    var isEmpty: Bool { bytes.isEmpty }
    var depth: Int { bytes.isEmpty ? 0 : bytes.count(where: { $0 == UInt8(ascii: "/") }) + 1 }

    /// For a name that is not UTF-8: its bad bytes escaped, as the scanner shows them.
    var display: String {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return DirectoryScanner.escaped(bytes) }
        return DirectoryScanner.joined(FolderPath(bytes: Array(bytes[..<slash])).path, DirectoryScanner.escaped(Array(bytes[(slash + 1)...])))
    }

    var parent: FolderPath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return FolderPath(bytes: []) }
        return FolderPath(bytes: Array(bytes[..<slash]))
    }

    var name: [UInt8] {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    func child(_ name: [UInt8]) -> FolderPath {
        FolderPath(bytes: bytes.isEmpty ? name : bytes + [UInt8(ascii: "/")] + name)
    }

    func contains(_ other: FolderPath) -> Bool {
        bytes.isEmpty || other.bytes == bytes || other.bytes.starts(with: bytes + [UInt8(ascii: "/")])
    }
}

/// What tells a folder changed: a new entry, a removed one or a rename changes its mtime and
/// ctime; another device or inode means another folder (the file system was unmounted).
struct FolderStamp: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var modified: Int64
    var changed: Int64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }
}

/// What tells a file changed: its size, mtime or inode (a file replaced by a rename).
struct EntryStamp: Equatable, Sendable {
    enum Kind: Sendable { case regular, directory, other }
    var kind: Kind
    var size: Int64
    var modified: Int64
    var inode: UInt64

    static let badName = EntryStamp(kind: .other, size: 0, modified: 0, inode: 0)

    init(kind: Kind, size: Int64, modified: Int64, inode: UInt64) {
        (self.kind, self.size, self.modified, self.inode) = (kind, size, modified, inode)
    }

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }
}

struct PolledFolder: Sendable {
    /// nil until first listed (or while the folder is missing).
    var stamp: FolderStamp?
    var entries: [[UInt8]: EntryStamp] = [:]
    var listAgain = false
}

struct PendingFile: Sendable {
    var path: FolderPath
    var stamp: EntryStamp
    /// When the file was first seen with this stamp.
    var since: ContinuousClock.Instant
}

struct PollState: Sendable {
    var roots: [FolderPath] = []
    var folders: [FolderPath: PolledFolder] = [:]
    var pending: [[UInt8]: PendingFile] = [:]
    var listings = 0

    mutating func forget(below folder: FolderPath) {
        for key in folders.keys where folder.contains(key) { folders[key] = nil }
        for key in pending.keys where folder.contains(FolderPath(bytes: key)) { pending[key] = nil }
    }
}
