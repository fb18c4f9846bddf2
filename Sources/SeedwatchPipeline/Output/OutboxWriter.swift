import FoundationEssentials
import Glibc
import SeedwatchCore

/// Writes results into the outbox, one file per document, atomically: under a temporary name,
/// `fsync`, `rename`, then one folder `fsync` for all the results renamed meanwhile
/// (`FolderSync`). Temporary names are numbered by the writer, not drawn at random: no `getpid`
/// or `getrandom` call per result. Results appear by `rename` (inotify `IN_MOVED_TO`), as
/// consumers watching the outbox expect; an unnamed file (`O_TMPFILE`) linked in would appear as
/// `IN_CREATE` only.
public struct OutboxWriter: Sendable {
    public let directory: String
    private let folderSync: FolderSync
    private let temporaryPrefix: String
    private let temporaryCount = Locked<UInt64>(0)

    public init(directory: String) throws(SystemError) {
        try self.init(directory: directory, syncFolder: AtomicFile.syncDirectory)
    }

    /// `syncFolder` is the folder `fsync`; tests pass one that fails.
    init(directory: String, syncFolder: @escaping @Sendable (String) throws(SystemError) -> Void) throws(SystemError) {
        try AtomicFile.ensureDirectory(directory)
        self.directory = directory
        folderSync = FolderSync(directory: directory, syncFolder: syncFolder)
        temporaryPrefix = "\(AtomicFile.temporaryPrefix)\(getpid())-"
        AtomicFile.removeLeftovers(in: directory)
    }

    public static func fileName(id: String) -> String { id + ".json" }

    /// Writes the result; its name is durable when this returns, so the ledger may record the
    /// document then and not before. Blocks on the folder `fsync`: call it on the blocking pool.
    /// Returns the file's bytes.
    @discardableResult
    public func write(_ record: ResultRecord) throws(SystemError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try record.encoded()
        } catch {
            throw SystemError(operation: "encode", path: Self.fileName(id: record.id), code: EINVAL)
        }
        try write(bytes, name: Self.fileName(id: record.id))
        return bytes
    }

    func write(_ bytes: [UInt8], name: String) throws(SystemError) {
        while true {
            let number = temporaryCount.withLock { count in
                count += 1
                return count
            }
            do {
                try AtomicFile.replace(bytes, in: directory, name: name, temporary: "\(temporaryPrefix)\(number)-\(name.prefix(100))")
                break
            } catch where error.operation == "create" && error.code == EEXIST {
                // A leftover of an earlier process with this pid, created since the start: next number.
                continue
            }
        }
        try folderSync.sync()
    }
    /// Removes the result of an earlier version of a file (its content changed).
    public func remove(id: String) {
        unlink(directory + "/" + Self.fileName(id: id))
    }

    public func exists(id: String) -> Bool {
        access(directory + "/" + Self.fileName(id: id), F_OK) == 0
    }
}
