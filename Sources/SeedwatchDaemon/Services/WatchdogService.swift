import ServiceLifecycle
import SeedwatchSystemd
import SeedwatchExecutors

/// Pings systemd's watchdog at half the interval it asked for, but only after the work queue
/// answers: if the processing side is wedged, the pings stop and systemd restarts the daemon.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: Duration
    let queue: WorkQueue

    func run() async throws {
        // Ends quietly on shutdown: a thrown CancellationError would count as a failure and
        // cancel the whole group instead of letting the pipeline drain.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = await queue.depth
                notifier.watchdog()
                try await DaemonExecutors.sleep(for: interval / 2)
            }
        }
    }
}
