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
        let readTimeout = TimeAmount.nanoseconds(Int64(settings.readTimeout.components.seconds) * 1_000_000_000
            + settings.readTimeout.components.attoseconds / 1_000_000_000)
        let connections = ControlConnections(limit: settings.maxConnections)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            // A client that shuts down its sending side after the request still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                guard connections.admit(channel) else { return channel.eventLoop.makeFailedFuture(ControlError.tooManyConnections) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        ControlHTTPHandler(maxBody: maxBody, readTimeout: readTimeout, connections: connections) { await routes.respond(to: $0) }
                    )
                }
            }
        var channels: [any Channel] = []
        do {
            if activated.isEmpty {
                do {
                    channels.append(try await bootstrap.bind(unixDomainSocketPath: settings.socketPath, cleanupExistingSocketFile: true).get())
                } catch {
                    throw ControlError.cannotListen(settings.socketPath, "\(error)")
                }
                chmod(settings.socketPath, 0o660)
                logger.info("control API on \(settings.socketPath)")
                if let tcp = settings.tcp {
                    do {
                        channels.append(try await bootstrap.bind(host: tcp.host, port: tcp.port).get())
                    } catch {
                        throw ControlError.cannotListen("\(tcp.host):\(tcp.port)", "\(error)")
                    }
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
