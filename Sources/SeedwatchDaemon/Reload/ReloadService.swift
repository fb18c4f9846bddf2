import Logging
import ServiceLifecycle

/// Reloads the configuration on SIGHUP (`systemctl reload` sends it through `ExecReload=`),
/// telling systemd `RELOADING=1` before and `READY=1` after, whether or not the new
/// configuration was accepted.
struct ReloadService: Service, CustomStringConvertible {
    /// Created before the service group runs, so the handler is installed before READY=1: a
    /// SIGHUP's default action would end the daemon.
    let signals: AsyncStream<Int32>
    let reloader: ConfigReloader
    let status: StatusReporter
    let logger: Logger

    var description: String { "ReloadService" }

    func run() async throws {
        // Not `signals.cancelOnGracefulShutdown()`: its merge runs a task on the runtime's default
        // executor (README "Threads and executors").
        await cancelWhenGracefulShutdown { [signals, status, logger, reloader] in
            for await _ in signals {
                status.reloading()
                logger.notice("SIGHUP: reloading the configuration")
                reloader.reload()
                await status.reloaded()
            }
        }
    }
}
