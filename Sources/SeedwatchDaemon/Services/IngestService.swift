import Logging
import ServiceLifecycle
import SeedwatchExecutors
import SeedwatchIngest

/// Arms the watch, queues the catch-up scan, reports readiness, then turns watch events into
/// queued names until shutdown.
struct IngestService: Service {
    let watcher: DirectoryWatcher
    /// The inotify instance came from systemd's fd store and may hold the previous run's watches.
    let adopted: Bool
    let queue: WorkQueue
    let status: StatusReporter
    let stats: DaemonStats
    /// `ingest.mode`, and the poll interval as a reload may change it.
    let mode: IngestMode
    let pollInterval: @Sendable () -> Duration
    let logger: Logger

    func run() async throws {
        let events = watcher.events()
        // Armed before the scan, so a file arriving during the scan is seen by one or the other.
        let initial = try watcher.scanner.scan()
        watcher.watchSubfolders(initial.directories)
        if adopted, let removed = watcher.pruneForeignWatches(), removed > 0 {
            logger.info("removed \(removed) watches of the stored inotify instance on folders no longer watched")
        }
        // After the scan: the poller takes what the scan found as known and hands on the rest.
        let polling = await startPolling(initial)
        await queue.enqueue(initial.files + initial.badNames.map(BadName.mark))
        logger.info("watching \(watcher.root): \(initial.files.count) files queued by the catch-up scan")
        await status.ready()

        let mounts = mode == .auto ? try? MountWatcher() : nil
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pollLoop(polling) }
                if let mounts {
                    group.addTask {
                        for await _ in mounts.changes() { try await mountsChanged(polling) }
                    }
                }
                group.addTask {
                    // Not `events.cancelOnGracefulShutdown()`: its merge runs a task on the runtime's default
                    // executor (README "Threads and executors"). `watcher.stop()` ends the stream instead.
                    for await batch in events {
                        if Task.isShuttingDownGracefully { break }
                        for event in batch {
                            try await handle(event)
                        }
                    }
                }
                // The first to end (the watch stopped, or the watch folder gone) ends the others.
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            watcher.stop()
            mounts?.stop()
        }
    }

    func handle(_ event: WatchEvent) async throws {
        switch event {
        case let .arrived(path), let .special(path):
            await queue.enqueue(path)
            await status.changed()
        case let .badName(path):
            await queue.enqueue(BadName.mark(path))
        case let .directoryAppeared(path):
            if let found = try? watcher.scanner.scan(below: path) {
                watcher.watchSubfolders(found.directories)
                await queue.enqueue(found.files + found.badNames.map(BadName.mark))
            }
        case .overflow:
            stats.update { $0.overflows += 1 }
            logger.warning("inotify queue overflowed: events were lost; rescanning \(watcher.root)", metadata: ["ingest.event": "overflow"])
            await queue.requestRescan()
        case let .rootGone(reason):
            logger.error("watch folder is gone: \(reason)", metadata: ["ingest.event": "root_gone"])
            throw IngestError.rootGone(reason)
        }
    }
}

enum IngestError: Error, CustomStringConvertible {
    case rootGone(String)

    var description: String {
        switch self {
        case let .rootGone(reason): "watch folder is gone: \(reason)"
        }
    }
}

/// Names that are not valid UTF-8 travel through the queue marked, as their escaped form is
/// not a path that can be opened: they get a `bad_name` quarantine record instead.
enum BadName {
    static let marker = "\u{0}"

    static func mark(_ escaped: String) -> String { marker + escaped }

    static func unmark(_ queued: String) -> String? {
        queued.hasPrefix(marker) ? String(queued.dropFirst(marker.count)) : nil
    }
}
