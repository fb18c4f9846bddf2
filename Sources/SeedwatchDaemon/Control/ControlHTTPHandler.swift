import NIOCore
import NIOHTTP1
import SeedwatchExecutors

/// Collects one HTTP/1.1 request (body bounded), answers it and closes the connection: the API
/// is for occasional local calls, so keep-alive is not worth its state.
///
/// A connection has `readTimeout` from its start to deliver the whole request, else it is closed:
/// idle and trickling clients cannot hold a descriptor. A client that half-closes after its
/// request (the channel allows remote half-closure) is still answered. A body over the limit is
/// answered 413 at once; the rest of it is then read and dropped until the client closes or the
/// time runs out, so the answer is not lost to a reset.
final class ControlHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (ControlRequest) async -> ControlResponse
    private let readTimeout: TimeAmount
    private let connections: ControlConnections?
    private var collector: ControlRequestCollector
    private var deadline: Scheduled<Void>?
    /// Set once the response is written: what remains is waiting to close.
    private var answered = false
    private var inputClosed = false

    init(
        maxBody: Int, readTimeout: TimeAmount, connections: ControlConnections?,
        respond: @escaping @Sendable (ControlRequest) async -> ControlResponse
    ) {
        self.respond = respond
        self.readTimeout = readTimeout
        self.connections = connections
        collector = ControlRequestCollector(maxBody: maxBody)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startDeadline(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startDeadline(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func startDeadline(context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: readTimeout) {
            // Past the time: the request never completed (a complete one cancelled this).
            loopBound.value.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch collector.consume(unwrapInboundIn(data)) {
        case .none:
            break
        case let .refuse(status, code, message, version):
            send(.error(status, code, message), version: version, context: context, thenClose: .output)
        case let .complete(request, version):
            deadline?.cancel()
            deadline = nil
            connections?.answering(context.channel)
            let respond = respond
            let promise = context.eventLoop.makePromise(of: ControlResponse.self)
            // Not `completeWithTask`: its task would run on the runtime's default executor.
            Task(executorPreference: DaemonExecutors.preferred) { promise.succeed(await respond(request)) }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                self.send(response, version: version, context: context, thenClose: .all)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client closed its side. Once a request is complete its answer is still sent (and
        // closes the connection); before that nothing more can arrive, and after an early
        // refusal there is nothing left to wait for.
        if event as? ChannelEvent == .inputClosed {
            inputClosed = true
            if !collector.finished || answered {
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func send(_ response: ControlResponse, version: HTTPVersion, context: ChannelHandlerContext, thenClose mode: CloseMode) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: "close")
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        done.futureResult.assumeIsolated().whenComplete { _ in
            self.answered = true
            if mode == .all || self.inputClosed {
                context.close(promise: nil)
                return
            }
            let halfClosed = context.eventLoop.makePromise(of: Void.self)
            context.close(mode: mode, promise: halfClosed)
            halfClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        }
    }
}
