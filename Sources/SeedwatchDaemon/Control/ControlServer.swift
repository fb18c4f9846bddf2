import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// Serves the control API on the sockets systemd handed over (named `control`), or else on the
/// configured unix socket (and optional loopback TCP port) it binds itself; stops listening
/// first on shutdown.
///
/// Listening starts in `start`, before the service group runs, so the API answers by the time
/// READY=1 is sent and a socket that cannot be bound stops the daemon before it claims readiness.
struct ControlServer: Service {
    let settings: ControlSettings
    let channels: [any Channel]
    let group: MultiThreadedEventLoopGroup
    let ownsSocketFile: Bool

    static func start(settings: ControlSettings, routes: ControlRoutes, activated: [Int32], logger: Logger) async throws -> ControlServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let maxBody = settings.maxBody
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ControlHTTPHandler(routes: routes, maxBody: maxBody))
                }
            }
        var channels: [any Channel] = []
        do {
            if activated.isEmpty {
                channels.append(try await bootstrap.bind(unixDomainSocketPath: settings.socketPath, cleanupExistingSocketFile: true).get())
                chmod(settings.socketPath, 0o660)
                logger.info("control API on \(settings.socketPath)")
                if let tcp = settings.tcp {
                    channels.append(try await bootstrap.bind(host: tcp.host, port: tcp.port).get())
                    logger.info("control API on \(tcp.host):\(tcp.port)")
                }
            } else {
                for fd in activated {
                    channels.append(try await bootstrap.withBoundSocket(fd).get())
                }
                logger.info("control API on \(activated.count) socket(s) from systemd")
            }
        } catch {
            for channel in channels { try? await channel.close() }
            try? await group.shutdownGracefully()
            throw error
        }
        return ControlServer(settings: settings, channels: channels, group: group, ownsSocketFile: activated.isEmpty)
    }

    func run() async throws {
        try? await gracefulShutdown()
        for channel in channels { try? await channel.close() }
        if ownsSocketFile { unlink(settings.socketPath) }
        try? await group.shutdownGracefully()
    }
}
