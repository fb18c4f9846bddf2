import Logging
import ServiceLifecycle
import SeedwatchCore
import SeedwatchSystemd
import SeedwatchExecutors

/// Takes names from the queue and processes up to `maxInFlight` documents at once. On graceful
/// shutdown it takes nothing new from the queue (what is queued stays on disk for the next
/// start) and gives the documents in flight the drain timeout to finish; past it, they are
/// cancelled, which also ends their retry loops. Both limits are read as the work goes, so a
/// reload changes them.
struct PipelineService: Service {
    let queue: WorkQueue
    let handler: DocumentHandler
    let live: ReloadableSettings
    let status: StatusReporter
    /// Closed while this node stands by in a cluster: nothing is taken from the queue.
    let gate: LeadershipGate
    let logger: Logger
    /// Told of each document started and finished, so waiters gather while others are on their way.
    var commits: GroupCommit?
    let memory = MemoryRelease()

    func run() async throws {
        let (stopping, stop) = AsyncStream.makeStream(of: Never.self)
        let started = Locked(0)  // documents started and not yet finished
        live.runner.overruns.whenOneEnds { [memory] in memory.overrunEnded() }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { phases in
                phases.addTask { await process(started: started) }
                // Armed from the start, so the deadline passes even while every slot is held by
                // a document that does not finish (a result write retried until the outbox
                // folder comes back).
                phases.addTask { await drainDeadline(after: stopping, started: started) }
                // Whichever ends first ends the other: the work done stops the timer; the
                // deadline cancels the documents still in flight.
                await phases.next()
                phases.cancelAll()
            }
            // After the last document: state the processors keep between checkpoints.
            for (name, error) in await live.snapshot.runner.stop() {
                logger.error("processor \(name) could not save its state on stop: \(error)", metadata: ["processor": "\(name)"])
            }
        } onGracefulShutdown: {
            status.stopping()
            stop.finish()
            Task(executorPreference: DaemonExecutors.preferred) { [gate] in
                await queue.close()
                gate.openForShutdown()  // a standby waiting at the gate then finds the queue closed
            }
        }
        await status.changed(force: true)
    }

    private func process(started: Locked<Int>) async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            var sequence: UInt64 = 0
            while let path = await queue.next() {
                if !gate.isOpen {
                    await gate.waitUntilOpen()
                    if await queue.isClosed {
                        await queue.abandon(path)
                        break
                    }
                }
                guard let admission = handler.admit(path) else {
                    await queue.complete(path)
                    await status.changed()
                    continue
                }
                while running > 0 && running >= live.settings.maxInFlight {
                    await group.next()
                    running -= 1
                }
                // Shutdown may have begun while this name waited for a slot: it is not started,
                // and stays on disk for the next start.
                if await queue.isClosed || Task.isCancelled {
                    await queue.abandon(path)
                    break
                }
                let turn = sequence
                sequence += 1
                running += 1
                started.withLock { $0 += 1 }
                commits?.documentStarted()
                await status.changed()
                group.addTask { [commits] in
                    await handler.handle(admission, sequence: turn)
                    started.withLock { $0 -= 1 }
                    commits?.documentFinished()
                    let idle = await queue.complete(path)
                    await status.changed()
                    memory.documentFinished(queueIdle: idle)
                }
            }
            let inFlight = started.withLock { $0 }
            if inFlight > 0 { logger.info("stopping: waiting for \(inFlight) documents in flight") }
            await group.waitForAll()
        }
    }

    /// Returns once the drain timeout has passed since graceful shutdown began; returns early,
    /// silently, when cancelled because the work ended first.
    private func drainDeadline(after stopping: AsyncStream<Never>, started: Locked<Int>) async {
        for await _ in stopping {}
        guard !Task.isCancelled else { return }
        do {
            try await DaemonExecutors.sleep(for: live.settings.drainTimeout)
        } catch {
            return
        }
        let remaining = started.withLock { $0 }
        guard remaining > 0 else { return }
        logger.warning("drain timeout: \(remaining) documents in flight were cancelled; they are processed again after restart")
    }
}
