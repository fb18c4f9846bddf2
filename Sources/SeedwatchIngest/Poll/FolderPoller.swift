import Glibc
import SeedwatchCore

/// Finds new files by looking, for folders where inotify cannot see every change (network and
/// FUSE file systems, or `ingest.mode` `poll`).
///
/// A poll costs one `stat` per polled folder while nothing changes: a folder whose mtime and ctime
/// are as before is not listed again. A listing compares names and `lstat`s with the previous one;
/// a new or changed file is handed on only once its size and mtime stayed the same from one poll
/// to the next, at least `interval` apart, since a close-after-write cannot be seen there.
///
/// Each call does blocking I/O (a hard NFS mount can hang): run it off the concurrency pool.
public final class FolderPoller: Sendable {
    public let root: String
    public let recursive: Bool
    private let ignore: @Sendable () -> IgnorePatterns
    private let state = Locked(PollState())
    /// Apart from `state`, whose lock a poll holds through its I/O: reading the roots never waits on a share.
    private let rootList = Locked<[String]>([])

    /// `ignore`: read at every poll, so a reload's patterns apply.
    public init(root: String, recursive: Bool, ignore: @escaping @Sendable () -> IgnorePatterns) {
        self.root = root
        self.recursive = recursive
        self.ignore = ignore
    }

    /// The folders polled with everything below them, relative to the watch folder.
    public var roots: [String] { rootList.withLock { $0 } }

    /// Folders polled now, files waiting for their size and mtime to settle, and folder listings
    /// made since the start (an idle poll makes none).
    public var counts: (folders: Int, waiting: Int, listings: Int) { state.withLock { ($0.folders.count, $0.pending.count, $0.listings) } }

    /// Starts polling `relative` (and below it when recursive). `known`: the files a scan just
    /// queued (paths relative to the watch folder); any other file found is handed on once it
    /// settles, so nothing that lands between the scan and this listing is missed.
    public func add(root relative: String, known: [String]) {
        let ignore = ignore()
        let queued = Set(known.map(FolderPath.init))
        state.withLock { state in
            guard !state.roots.contains(where: { IngestModePlan.isInside(relative, $0.path) }) else { return }
            state.roots.removeAll { IngestModePlan.isInside($0.path, relative) }
            state.roots.append(FolderPath(relative))
            rootList.withLock { $0 = state.roots.map(\.path) }
            var pass = Pass(now: .now, interval: .zero, ignore: ignore, baseline: true, known: queued)
            visit(FolderPath(relative), state: &state, pass: &pass)
        }
    }

    /// Stops polling `relative` and everything below it.
    public func remove(root relative: String) {
        state.withLock { state in
            state.roots.removeAll { $0.path.utf8.elementsEqual(relative.utf8) }
            rootList.withLock { $0 = state.roots.map(\.path) }
            state.forget(below: FolderPath(relative))
        }
    }

    /// One poll: returns what arrived, in the terms of the inotify watcher. `interval`: how long a
    /// file's size and mtime must stay the same before it is handed on.
    public func poll(now: ContinuousClock.Instant = .now, interval: Duration) -> [WatchEvent] {
        let ignore = ignore()
        return state.withLock { state in
            var pass = Pass(now: now, interval: interval, ignore: ignore, baseline: false, known: [])
            for folder in state.folders.keys.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                guard !pass.rootGone else { break }
                guard state.folders[folder] != nil else { continue }  // forgotten with its parent in this pass
                visit(folder, state: &state, pass: &pass)
            }
            if !pass.rootGone { settle(&state, pass: &pass) }
            return pass.events
        }
    }

    /// What one pass collects.
    private struct Pass {
        let now: ContinuousClock.Instant
        let interval: Duration
        let ignore: IgnorePatterns
        /// Taking stock: only files not in `known` are handed on (once settled).
        let baseline: Bool
        let known: Set<FolderPath>
        var events: [WatchEvent] = []
        var rootGone = false
        /// Files found new or changed in this pass's listings: their wait starts now.
        var touched: Set<[UInt8]> = []
    }

    /// Stats `folder`; lists it when it changed, was never listed, or changed at the previous poll
    /// (a second look, for file systems whose timestamps are coarser than the interval).
    private func visit(_ folder: FolderPath, state: inout PollState, pass: inout Pass) {
        var info = stat()
        let path = folder.path.isEmpty ? root : root + "/" + folder.path
        // The watch folder is followed if it is a link; anything below it is not.
        let found = folder.path.isEmpty ? stat(path, &info) == 0 : lstat(path, &info) == 0
        guard found, info.st_mode & S_IFMT == S_IFDIR else {
            if folder.path.isEmpty {
                pass.events.append(.rootGone(found ? "\(root) is no longer a folder" : "\(root) cannot be read (\(String(cString: strerror(errno))))"))
                pass.rootGone = true
            } else {
                // Kept as a root if it was one: should it come back, it is listed as new.
                state.forget(below: folder)
                if state.roots.contains(folder) { state.folders[folder] = PolledFolder() }
            }
            return
        }
        let stamp = FolderStamp(info)
        var record = state.folders[folder] ?? PolledFolder()
        if folder.path.isEmpty, let previous = record.stamp, previous.device != stamp.device || previous.inode != stamp.inode {
            pass.events.append(.rootGone("the file system of \(root) was unmounted or replaced"))
            pass.rootGone = true
            return
        }
        if !pass.baseline, record.stamp == stamp, !record.listAgain { return }
        record.listAgain = !pass.baseline && record.stamp != nil && record.stamp != stamp
        record.stamp = stamp
        guard let directory = opendir(path) else {
            state.folders[folder] = record
            return
        }
        defer { closedir(directory) }
        state.listings += 1
        var seen: [[UInt8]: EntryStamp] = [:]
        var newFolders: [FolderPath] = []
        while let entry = readdir(directory) {
            let name = DirectoryScanner.name(of: entry)
            if name == [0x2e] || name == [0x2e, 0x2e] { continue }
            let relative = folder.child(name)
            guard let text = String(validating: name, as: UTF8.self) else {
                seen[name] = EntryStamp.badName
                if record.entries[name] == nil && !pass.baseline { pass.events.append(.badName(relative.display)) }
                continue
            }
            if pass.ignore.ignores(name: text) { continue }
            var entryInfo = stat()
            guard fstatat(dirfd(directory), text, &entryInfo, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let entryStamp = EntryStamp(entryInfo)
            seen[name] = entryStamp
            let previous = record.entries[name]
            switch entryStamp.kind {
            case .directory:
                if recursive, previous?.kind != .directory || state.folders[relative] == nil, relative.depth < 64 {
                    newFolders.append(relative)
                }
            case .regular:
                guard previous != entryStamp, !(pass.baseline && pass.known.contains(relative)) else { continue }
                pass.touched.insert(relative.bytes)
                if state.pending[relative.bytes]?.stamp != entryStamp {
                    state.pending[relative.bytes] = PendingFile(path: relative, stamp: entryStamp, since: pass.now)
                }
            case .other:
                if previous != entryStamp, !pass.baseline { pass.events.append(.special(relative.path)) }
            }
        }
        for (name, previous) in record.entries where seen[name] == nil {
            let relative = folder.child(name)
            if previous.kind == .directory { state.forget(below: relative) }
            state.pending[relative.bytes] = nil
        }
        record.entries = seen
        state.folders[folder] = record
        for child in newFolders where state.folders[child] == nil {
            state.folders[child] = PolledFolder()
            visit(child, state: &state, pass: &pass)
        }
    }

    /// Hands on each waiting file whose size and mtime stayed the same for `interval`.
    private func settle(_ state: inout PollState, pass: inout Pass) {
        var arrived: [FolderPath] = []
        for (key, waiting) in state.pending where !pass.touched.contains(key) {
            var info = stat()
            guard lstat(root + "/" + waiting.path.path, &info) == 0 else {
                state.pending[key] = nil
                continue
            }
            let now = EntryStamp(info)
            if now != waiting.stamp {
                state.pending[key] = PendingFile(path: waiting.path, stamp: now, since: pass.now)
                state.folders[waiting.path.parent]?.entries[waiting.path.name] = now
            } else if waiting.since.duration(to: pass.now) >= pass.interval {
                state.pending[key] = nil
                arrived.append(waiting.path)
            }
        }
        for path in arrived.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
            pass.events.append(.arrived(path.path))
        }
    }
}
