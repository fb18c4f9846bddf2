import NIOCore
import NIOEmbedded
import Testing
@testable import SeedwatchDaemon

/// The cap on control connections, on channels that need no socket.
@Suite("control connection cap")
struct ControlConnectionsTests {
    private func connected() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    @Test("at the cap the oldest connection still waiting is closed; when all are being answered the new one is refused")
    func eviction() throws {
        let connections = ControlConnections(limit: 2)
        let first = try connected(), second = try connected(), third = try connected(), fourth = try connected()
        #expect(connections.admit(first))
        #expect(connections.admit(second))
        connections.answering(first)
        // `first` is being answered: the oldest waiting one is `second`.
        #expect(connections.admit(third))
        #expect(first.isActive)
        #expect(!second.isActive)
        #expect(connections.count == 2)
        connections.answering(third)
        #expect(!connections.admit(fourth))
        #expect(connections.count == 2)
        // A closed connection frees its place.
        try first.close().wait()
        first.embeddedEventLoop.run()
        #expect(connections.count == 1)
        #expect(connections.admit(fourth))
    }
}
