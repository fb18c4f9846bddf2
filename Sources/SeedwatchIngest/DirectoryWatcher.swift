import Glibc
import SeedwatchCore
import SeedwatchExecutors

/// What the watch folder reports, in terms the daemon cares about.
public enum WatchEvent: Sendable, Equatable {
    /// A file finished arriving: closed after writing, renamed into the folder, or a new link.
    case arrived(String)
    /// Something that is not a regular file appeared (FIFO, socket, link): it gets a
    /// quarantine record without being opened.
    case special(String)
    /// A name that is not valid UTF-8, escaped for display.
    case badName(String)
    /// A new sub-folder (recursive mode): it is watched and scanned, since files may have landed
    /// in it before its watch was armed.
    case directoryAppeared(String)
    /// The kernel's event queue overflowed: events were lost, so everything must be rescanned.
    case overflow
    /// The watch folder itself was deleted, moved or unmounted.
    case rootGone(String)
}

/// Watches the watch folder (and its sub-folders when recursive) with inotify and turns raw
/// events into `WatchEvent`s. The mapping from raw events is a pure function (`interpret`),
/// tested with crafted events.
public final class DirectoryWatcher: Sendable {
    public let root: String
    public let recursive: Bool
    private let ignoreRules: Locked<IgnorePatterns>
    private let inotify: Inotify
    /// Watch descriptor → folder relative to the root ("" for the root). Watches are added and
    /// pruned under this lock, so the map and the kernel's set of watches agree.
    private let folders = Locked<[Int32: String]>([:])
    private let rootWatch: Int32
    /// False when only polling finds files (`ingest.mode` `poll`): the one watch left tells when
    /// the watch folder itself goes.
    public let reportsFiles: Bool

    /// `inotify`: an instance to use instead of a new one, e.g. one adopted from systemd's fd
    /// store. Adding a watch for a path the instance already watches returns that watch's
    /// descriptor with the mask replaced, so the events it queued meanwhile map to the same folder.
    public init(root: String, recursive: Bool, ignore: IgnorePatterns, inotify: Inotify? = nil, reportsFiles: Bool = true) throws(SystemError) {
        self.root = root
        self.recursive = recursive
        self.ignoreRules = Locked(ignore)
        self.reportsFiles = reportsFiles
        let instance: Inotify
        if let inotify { instance = inotify } else { instance = try Inotify() }
        self.inotify = instance
        rootWatch = try instance.addWatch(path: root, mask: reportsFiles ? InotifyMask.watched : InotifyMask.selfOnly)
        folders.withLock { $0[rootWatch] = "" }
    }

    /// The inotify descriptor, for systemd's file-descriptor store.
    public var descriptor: Int32 { inotify.descriptor }

    /// Bytes of events waiting on the instance (see `Inotify.pendingBytes`).
    public var pendingBytes: Int { inotify.pendingBytes }

    /// Names that never count as arrived; replaced on a configuration reload.
    public var ignore: IgnorePatterns { ignoreRules.withLock { $0 } }

    public func setIgnore(_ patterns: IgnorePatterns) {
        ignoreRules.withLock { $0 = patterns }
    }

    /// A scanner of the same folder with the current ignore patterns.
    public var scanner: DirectoryScanner {
        DirectoryScanner(root: root, recursive: recursive, ignore: ignore)
    }

    /// Removes the watches this instance holds for folders that are not watched now: an adopted
    /// instance keeps its previous owner's watches (a sub-folder since removed from the
    /// configuration, another watch folder), whose events would only be dropped. Returns how
    /// many were removed; nil when the kernel's list could not be read.
    @discardableResult
    public func pruneForeignWatches() -> Int? {
        folders.withLock { folders -> Int? in
            guard let held = inotify.watchDescriptors() else { return nil }
            let foreign = held.filter { folders[$0] == nil }
            for watch in foreign { inotify.removeWatch(watch) }
            return foreign.count
        }
    }

    /// Arms watches on existing sub-folders (recursive mode). Call after `init`, before the
    /// catch-up scan, so nothing slips between the two.
    public func watchSubfolders(_ relativeFolders: [String]) {
        guard recursive, reportsFiles else { return }
        for folder in relativeFolders { _ = addFolder(folder) }
    }

    @discardableResult
    public func addFolder(_ relative: String) -> Bool {
        folders.withLock { folders in
            guard let watch = try? inotify.addWatch(path: root + "/" + relative, mask: InotifyMask.watched | InotifyMask.onlyDirectory) else {
                return false
            }
            folders[watch] = relative
            return true
        }
    }

    /// Stops watching a sub-folder and everything below it. Compared by bytes: `String ==` would
    /// also take a sibling whose name differs only in Unicode normalisation.
    private func forgetFolder(_ relative: String) {
        folders.withLock { folders in
            let below = Array((relative + "/").utf8)
            for (watch, folder) in folders where folder.utf8.elementsEqual(relative.utf8) || folder.utf8.starts(with: below) {
                inotify.removeWatch(watch)
                folders[watch] = nil
            }
        }
    }

    /// The folders watched now, relative to the root ("" for the root), sorted.
    public var watchedFolders: [String] { folders.withLock { $0.values.sorted() } }

    public func events() -> AsyncStream<[WatchEvent]> {
        let raw = inotify.events()
        let (stream, continuation) = AsyncStream.makeStream(of: [WatchEvent].self)
        let task = Task(executorPreference: DaemonExecutors.preferred) { [self] in
            for await batch in raw {
                let mapped = batch.flatMap { interpret($0) }
                if !mapped.isEmpty { continuation.yield(mapped) }
            }
            continuation.finish()
        }
        continuation.onTermination = { [inotify] _ in
            task.cancel()
            inotify.stop()
        }
        return stream
    }

    public func stop() {
        inotify.stop()
    }

    /// Maps one raw event to what it means for the daemon.
    public func interpret(_ event: InotifyEvent) -> [WatchEvent] {
        if event.has(InotifyMask.overflow) { return [.overflow] }
        let folder = folders.withLock { $0[event.watch] }
        if event.watch == rootWatch && event.name.isEmpty {
            if event.has(InotifyMask.unmount) { return [.rootGone("the file system of \(root) was unmounted")] }
            if event.has(InotifyMask.deleteSelf) { return [.rootGone("\(root) was deleted")] }
            if event.has(InotifyMask.moveSelf) { return [.rootGone("\(root) was moved away")] }
            if event.has(InotifyMask.ignored) { return [.rootGone("the watch on \(root) was removed")] }
            return []
        }
        if event.has(InotifyMask.ignored) {
            _ = folders.withLock { $0.removeValue(forKey: event.watch) }
            return []
        }
        guard let folder, !event.name.isEmpty else { return [] }
        guard let name = String(validating: event.name, as: UTF8.self) else {
            guard event.has(InotifyMask.closeWrite) || event.has(InotifyMask.movedTo) else { return [] }
            return [.badName(DirectoryScanner.joined(folder, DirectoryScanner.escaped(event.name)))]
        }
        if ignoreRules.withLock({ $0.ignores(name: name) }) { return [] }
        let relative = DirectoryScanner.joined(folder, name)
        if event.has(InotifyMask.isDirectory) {
            guard recursive else { return [] }
            if event.has(InotifyMask.movedFrom) {
                // A watch follows its inode, so a folder moved out of the tree would go on
                // reporting its files under the old path. Within the tree, the moved-to event
                // that follows watches it again under its new name.
                forgetFolder(relative)
                return []
            }
            guard event.has(InotifyMask.create) || event.has(InotifyMask.movedTo) else { return [] }
            addFolder(relative)
            return [.directoryAppeared(relative)]
        }
        if event.has(InotifyMask.closeWrite) || event.has(InotifyMask.movedTo) { return [.arrived(relative)] }
        if event.has(InotifyMask.create) { return classifyCreated(relative) }
        return []
    }

    /// A created entry is usually a file being written (its close will follow), but FIFOs,
    /// sockets, links and hard links never send a close-after-write.
    private func classifyCreated(_ relative: String) -> [WatchEvent] {
        var info = stat()
        guard lstat(root + "/" + relative, &info) == 0 else { return [] }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return info.st_nlink > 1 ? [.arrived(relative)] : []
        case S_IFDIR: return []
        default: return [.special(relative)]
        }
    }
}
