import Logging
import ServiceLifecycle
import SeedwatchIngest

/// Arms the watch, queues the catch-up scan, reports readiness, then turns watch events into
/// queued names until shutdown.
struct IngestService: Service {
    let watcher: DirectoryWatcher
    let scanner: DirectoryScanner
    let queue: WorkQueue
    let status: StatusReporter
    let stats: DaemonStats
    let logger: Logger

    func run() async throws {
        let events = watcher.events()
        // Armed before the scan, so a file arriving during the scan is seen by one or the other.
        let initial = try scanner.scan()
        watcher.watchSubfolders(initial.directories)
        await queue.enqueue(initial.files + initial.badNames)
        logger.info("watching \(watcher.root): \(initial.files.count) files queued by the catch-up scan")
        status.ready()
        await status.changed(force: true)

        try await withGracefulShutdownHandler {
            for await batch in events.cancelOnGracefulShutdown() {
                for event in batch {
                    try await handle(event)
                }
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
    }

    private func handle(_ event: WatchEvent) async throws {
        switch event {
        case let .arrived(path), let .special(path), let .badName(path):
            await queue.enqueue(path)
            await status.changed()
        case let .directoryAppeared(path):
            if let found = try? scanner.scan(below: path) {
                watcher.watchSubfolders(found.directories)
                await queue.enqueue(found.files + found.badNames)
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
