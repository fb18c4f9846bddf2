import Glibc
import Logging
import SeedwatchCore
import SeedwatchExecutors
import SeedwatchIngest

/// The poller of the folders inotify cannot fully see, and what wakes its loop when a mount
/// brings the first polled folder.
final class PollingState: Sendable {
    let poller: FolderPoller
    /// The watch folder's device at start: another one means a file system was mounted on it.
    let rootDevice: UInt64?
    let rootsAdded: AsyncStream<Void>
    let rootsAddedContinuation: AsyncStream<Void>.Continuation

    init(poller: FolderPoller, rootDevice: UInt64?) {
        self.poller = poller
        self.rootDevice = rootDevice
        (rootsAdded, rootsAddedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }
}

extension IngestService {
    /// Decides which folders are polled (`ingest.mode`, and in `auto` each folder's file system),
    /// takes stock of them, and says so in the journal, one entry per folder.
    func startPolling(_ initial: ScanResult) async -> PollingState {
        let root = watcher.root, recursive = watcher.recursive, mode = mode
        let poller = FolderPoller(root: root, recursive: recursive, ignore: { [watcher] in watcher.ignore })
        // Off the pool: a stat on a share whose server is gone can block for minutes.
        let (plan, rootDevice) = await BlockingThreadPool.shared.run {
            let plan = IngestModePlan(mode: mode, root: root, subfolders: recursive ? initial.directories : [])
            for folder in plan.pollRoots { poller.add(root: folder, known: initial.files) }
            var info = stat()
            return (plan, stat(root, &info) == 0 ? UInt64(info.st_dev) : nil)
        }
        let interval = pollInterval()
        stats.ingest.update { board in
            board = IngestModeBoard.Snapshot(mode: mode, root: root, folders: plan.folders, pollInterval: interval)
        }
        for folder in plan.folders { log(folder, interval: interval) }
        return PollingState(poller: poller, rootDevice: rootDevice)
    }

    /// Polls while any folder is polled; waits without waking while none is.
    func pollLoop(_ polling: PollingState) async throws {
        var added = polling.rootsAdded.makeAsyncIterator()
        let poller = polling.poller
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if poller.roots.isEmpty {
                guard await added.next() != nil else { return }
                continue
            }
            let interval = pollInterval()
            noteInterval(interval)
            do {
                try await DaemonExecutors.sleep(for: interval)
            } catch {
                return  // cancelled: the watch has stopped
            }
            let events = await BlockingThreadPool.shared.run { poller.poll(interval: interval) }
            for event in events {
                if case let .arrived(path) = event {
                    logger.debug("found by polling: \(path)", metadata: ["document.path": "\(watcher.root)/\(path)", "ingest.event": "polled"])
                }
                try await handle(event)
            }
        }
    }

    /// A reload set another interval: the journal and the status say so from the next poll on.
    private func noteInterval(_ interval: Duration) {
        let previous = stats.ingest.snapshot.pollInterval
        guard previous != interval else { return }
        stats.ingest.update { $0.pollInterval = interval }
        logger.notice("polling every \(interval.wholeMilliseconds) ms now (was \(previous.wholeMilliseconds) ms)",
                      metadata: ["ingest.mode": "poll"])
    }

    /// The mount table changed: a file system mounted on the watch folder makes it another folder
    /// (handled as a watch folder gone); below a recursive watch folder, a mount that came or went
    /// changes how its subtree is watched.
    func mountsChanged(_ polling: PollingState) async throws {
        let poller = polling.poller, root = watcher.root
        let current = poller.roots
        let candidates = watcher.recursive && !current.contains("") ? (watcher.watchedFolders + current).filter { !$0.isEmpty } : nil
        let (device, plan) = await BlockingThreadPool.shared.run {
            var info = stat()
            let device = stat(root, &info) == 0 ? UInt64(info.st_dev) : nil
            return (device, candidates.map { IngestModePlan(mode: .auto, root: root, subfolders: $0) })
        }
        if let before = polling.rootDevice, let device, device != before {
            try await handle(.rootGone("a file system was mounted on \(root) or unmounted from it"))
        }
        // Not recursive, or everything polled already: nothing below the watch folder changes mode.
        guard let plan else { return }
        let wanted = plan.pollRoots
        let removed = current.filter { folder in !wanted.contains { $0.utf8.elementsEqual(folder.utf8) } }
        let added = wanted.filter { folder in !current.contains { $0.utf8.elementsEqual(folder.utf8) } }
        for folder in removed {
            poller.remove(root: folder)
            await rewatch(folder, polling: nil)
        }
        for folder in added { await rewatch(folder, polling: poller) }
        if !added.isEmpty { polling.rootsAddedContinuation.yield() }
        let interval = stats.ingest.snapshot.pollInterval
        stats.ingest.update { $0.folders = plan.folders }
        for folder in plan.folders where removed.contains(folder.path) || added.contains(folder.path) {
            log(folder, interval: interval)
        }
        for folder in removed where !plan.folders.contains(where: { $0.path == folder }) {
            logger.notice("sub-folder \(folder) of \(root) is no longer on a file system of its own: watched with inotify",
                          metadata: ["ingest.mode": "inotify", "ingest.folder": "\(root)/\(folder)"])
        }
        if !added.isEmpty || !removed.isEmpty { await status.changed(force: true) }
    }

    /// A subtree changed mode: everything in it is watched with inotify (as in `auto`), queued
    /// (the ledger leaves out what is done), and polled too when `poller` is given.
    private func rewatch(_ folder: String, polling poller: FolderPoller?) async {
        let watcher = watcher
        let found = await BlockingThreadPool.shared.run { () -> ScanResult? in
            guard let found = try? watcher.scanner.scan(below: folder) else { return nil }
            watcher.watchSubfolders([folder] + found.directories)
            poller?.add(root: folder, known: found.files)
            return found
        }
        guard let found else { return }
        await queue.enqueue(found.files + found.badNames.map(BadName.mark))
    }

    private func log(_ folder: IngestFolder, interval: Duration) {
        let message = IngestModePlan.message(for: folder, mode: mode, root: watcher.root, pollInterval: interval)
        let metadata: Logger.Metadata = [
            "ingest.mode": "\(folder.method.rawValue)", "ingest.fs": "\(folder.fileSystem.name)",
            "ingest.folder": "\(folder.path.isEmpty ? watcher.root : watcher.root + "/" + folder.path)",
        ]
        if folder.method == .inotify && folder.fileSystem.isRemote {
            logger.warning("\(message)", metadata: metadata)
        } else {
            logger.info("\(message)", metadata: metadata)
        }
    }
}
