import NIOCore
import NIOHTTP1
import SeedwatchExecutors

/// Collects one HTTP/1.1 request (body bounded), answers it through `ControlRoutes`, and closes
/// the connection: the API is for occasional local calls, so keep-alive is not worth its state.
final class ControlHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: ControlRoutes
    private let maxBody: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false

    init(routes: ControlRoutes, maxBody: Int) {
        self.routes = routes
        self.maxBody = maxBody
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
            body = context.channel.allocator.buffer(capacity: 0)
            tooLarge = false
        case var .body(chunk):
            // Past the limit the rest is read and dropped, so memory stays bounded.
            if tooLarge { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBody {
                tooLarge = true
                body = nil
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = ControlRequest(method: head.method.rawValue, uri: head.uri, body: tooLarge ? nil : body.map { Array($0.readableBytesView) })
            body = nil
            let routes = routes
            let promise = context.eventLoop.makePromise(of: ControlResponse.self)
            // Not `completeWithTask`: its task would run on the runtime's default executor.
            Task(executorPreference: DaemonExecutors.preferred) { promise.succeed(await routes.respond(to: request)) }
            let version = head.version
            promise.futureResult.assumeIsolated().whenSuccess { response in
                self.send(response, version: version, context: context)
            }
        }
    }

    private func send(_ response: ControlResponse, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        done.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
