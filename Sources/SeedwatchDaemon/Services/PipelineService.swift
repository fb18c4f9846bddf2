import Logging
import ServiceLifecycle
import SeedwatchSystemd
import SeedwatchExecutors

/// Takes names from the queue and processes up to `maxInFlight` documents at once. On graceful
/// shutdown it stops taking new names and lets the documents in flight finish, for at most the
/// drain timeout. Both limits are read as the work goes, so a reload changes them.
struct PipelineService: Service {
    let queue: WorkQueue
    let handler: DocumentHandler
    let live: ReloadableSettings
    let status: StatusReporter
    let logger: Logger
    let memory = MemoryRelease()

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Bool.self) { group in
                var running = 0
                var sequence: UInt64 = 0
                while let path = await queue.next() {
                    if handler.isUnchanged(path) {
                        await queue.complete(path)
                        await status.changed()
                        continue
                    }
                    while running > 0 && running >= live.settings.maxInFlight {
                        _ = await group.next()
                        running -= 1
                    }
                    let turn = sequence
                    sequence += 1
                    running += 1
                    await status.changed()
                    group.addTask {
                        await handler.handle(path, sequence: turn)
                        let idle = await queue.complete(path)
                        await status.changed()
                        memory.documentFinished(queueIdle: idle)
                        return true
                    }
                }
                await drain(&group, running: running)
            }
            // After the last document: state the processors keep between checkpoints.
            for (name, error) in await live.snapshot.runner.stop() {
                logger.error("processor \(name) could not save its state on stop: \(error)", metadata: ["processor": "\(name)"])
            }
        } onGracefulShutdown: {
            status.stopping()
            Task(executorPreference: DaemonExecutors.preferred) { await queue.close() }
        }
        await status.changed(force: true)
    }

    /// Waits for the documents in flight, cancelling them if the drain timeout passes first.
    /// Children return true for a document, false for the timer.
    private func drain(_ group: inout TaskGroup<Bool>, running: Int) async {
        guard running > 0 else { return }
        let inFlight = await queue.inFlightCount
        if inFlight > 0 { logger.info("stopping: waiting for \(inFlight) documents in flight") }
        let timeout = live.settings.drainTimeout
        group.addTask {
            try? await DaemonExecutors.sleep(for: timeout)
            return false
        }
        var remaining = running
        while let isDocument = await group.next() {
            if isDocument {
                remaining -= 1
                if remaining == 0 { group.cancelAll() }  // stops the timer
            } else if remaining > 0 {
                logger.warning("drain timeout: \(remaining) documents in flight were cancelled; they are processed again after restart")
                group.cancelAll()
            }
        }
    }
}
