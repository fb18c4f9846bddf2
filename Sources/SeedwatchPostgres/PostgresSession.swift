import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SeedwatchCore
import SeedwatchExecutors

/// One connection to PostgreSQL, used from many threads through synchronous calls, as the state
/// protocols are: each call runs under one lock (statements never interleave, a transaction
/// holds the connection until it ends), is sent on the session's own event-loop thread, and the
/// calling thread waits on a `ThreadLatch` for the answer. The event loop never needs the
/// caller's executor to make progress, so a wait cannot deadlock even with every worker thread
/// waiting; it blocks its thread for one round trip, as a SQLite commit blocks it for a write.
/// A connection found closed (the server restarted, the network cut) is opened again on the next
/// call; a call whose connection closes under it fails at once (`wait`), its transaction not applied.
public final class PostgresSession: Sendable {
    public let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    /// One thread: the connection's I/O; idle (in epoll, no timer) while nothing is asked.
    private let group: MultiThreadedEventLoopGroup
    private let connection = Locked<PostgresConnection?>(nil)
    /// A connection was lost and none made since: said once per loss, not once per call that fails.
    private let lost = Locked(false)
    private let logger: Logger
    /// In a cluster, the term every write must hold (`write`, `transaction`); nil: unchecked.
    private let fence = Locked<(fence: PostgresFence?, generation: UInt64)>((nil, 0))

    /// Run on each new connection before anything else (`SET …`).
    private let setUp: [String]

    /// `abandonTransactionsAfter`: in a cluster, the lease. A process paused (SIGSTOP, a stalled
    /// host) inside a transaction holds its row locks; the leader's row among them would stop every
    /// other node's heartbeat. The server ends such a session after this long idle in a transaction.
    public init(
        location: PostgresLocation, password: String?, abandonTransactionsAfter: Duration? = nil,
        logger: Logger = Logger(label: "seedwatch.postgres")
    ) {
        self.location = location
        setUp = abandonTransactionsAfter.map { limit in
            let milliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
            return ["SET idle_in_transaction_session_timeout = \(max(1, milliseconds))"]
        } ?? []
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password, database: location.database, tls: .disable
        )
        configuration.options.connectTimeout = .seconds(5)
        self.configuration = configuration
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.logger = logger
    }

    /// Not waiting here: the last reference may go on any thread. The connection must be closed
    /// before it is released (postgres-nio asserts it), so the close keeps it until done.
    deinit {
        let open = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        let group = group
        guard let open else {
            group.shutdownGracefully { _ in }
            return
        }
        open.close().whenComplete { _ in
            withExtendedLifetime(open) {}
            group.shutdownGracefully { _ in }
        }
    }

    /// Runs one statement with bound values and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ values: [PostgresValue] = []) throws(PostgresStateError) -> [[PostgresValue]] {
        try withConnection { connection throws(PostgresStateError) in try Self.run(sql, values, on: connection) }
    }

    /// Runs several statements in one transaction: all or nothing. In a cluster the transaction
    /// first checks that this node still holds the leader's term (`PostgresFence`).
    public func transaction(_ statements: [(String, [PostgresValue])]) throws(PostgresStateError) {
        let fence = fence.withLock { $0.fence }
        try withTransaction { run throws(PostgresStateError) in
            if let fence { try fence.check(run) }
            for (sql, values) in statements { _ = try run(sql, values) }
        }
    }

    /// One statement that changes state: fenced in a cluster (as `transaction`), else sent alone.
    @discardableResult
    public func write(_ sql: String, _ values: [PostgresValue] = []) throws(PostgresStateError) -> [[PostgresValue]] {
        guard let fence = fence.withLock({ $0.fence }) else { return try query(sql, values) }
        return try withTransaction { run throws(PostgresStateError) in
            try fence.check(run)
            return try run(sql, values)
        }
    }

    /// Sets the term writes must hold from now on (`PostgresCluster` on each change of leadership).
    public func setFence(_ new: PostgresFence?) {
        fence.withLock { current in
            if current.fence != new { current.generation += 1 }
            current.fence = new
        }
    }

    /// Changes with each change of the fence: state a processor read under another term may be
    /// out of date (another leader wrote since), so it reads it again (`ProcessorStateStore.generation`).
    /// Also changes when a write of processor state failed (`stateWriteFailed`).
    public var fenceGeneration: UInt64 { fence.withLock { $0.generation } }

    /// A write of processor state failed: the processors' state in memory is ahead of the
    /// database's, or not even that (a connection cut after COMMIT went out leaves the write
    /// applied, unbeknown to us), so they read it again before their next document.
    public func stateWriteFailed() {
        fence.withLock { $0.generation += 1 }
    }

    /// Runs `body` inside one transaction on the connection; `body` runs its statements through
    /// the function it is given. Rolled back if `body` throws.
    public func withTransaction<Result>(
        _ body: (_ run: (String, [PostgresValue]) throws(PostgresStateError) -> [[PostgresValue]]) throws(PostgresStateError) -> Result
    ) throws(PostgresStateError) -> Result {
        try withConnection { connection throws(PostgresStateError) in
            try Self.run("BEGIN", [], on: connection)
            do throws(PostgresStateError) {
                let result = try body { sql, values throws(PostgresStateError) in try Self.run(sql, values, on: connection) }
                try Self.run("COMMIT", [], on: connection)
                return result
            } catch {
                // On a closed connection the server rolls back by itself (the transaction ends with its session).
                if !connection.isClosed { _ = try? Self.run("ROLLBACK", [], on: connection) }
                throw error
            }
        }
    }

    /// Closes the connection now (it is opened again by the next call).
    public func close() {
        let open = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        if let open { _ = Self.wait(open.close()) }
    }

    private func withConnection<Result>(_ body: (PostgresConnection) throws(PostgresStateError) -> Result) throws(PostgresStateError) -> Result {
        try connection.withLock { (current: inout PostgresConnection?) throws(PostgresStateError) -> Result in
            let open: PostgresConnection
            if let existing = current, !existing.isClosed {
                open = existing
            } else {
                if current != nil { noteLost("closed while idle") }
                current = nil
                let connecting = PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger)
                switch Self.wait(connecting) {
                case let .success(made): open = made
                case let .failure(error): throw .connect(location: location.description, message: Self.describe(error))
                }
                for statement in setUp {
                    do throws(PostgresStateError) {
                        try Self.run(statement, [], on: open)
                    } catch {
                        _ = Self.wait(open.close())
                        throw error
                    }
                }
                current = open
                let wasLost = lost.withLock { lost in
                    defer { lost = false }
                    return lost
                }
                if wasLost { logger.notice("reconnected to PostgreSQL at \(location)") }
            }
            do throws(PostgresStateError) {
                return try body(open)
            } catch {
                if open.isClosed { noteLost("\(error)") }
                throw error
            }
        }
    }

    /// Says once that the connection was lost (the server restarted, the network or a proxy cut
    /// it): the callers retry and fail again while the server is away, and the next connection
    /// made says that it is back.
    private func noteLost(_ cause: String) {
        let first = lost.withLock { lost -> Bool in
            defer { lost = true }
            return !lost
        }
        if first { logger.warning("lost the connection to PostgreSQL at \(location) (\(cause)): connecting again at the next call") }
    }

    @discardableResult
    private static func run(_ sql: String, _ values: [PostgresValue], on connection: PostgresConnection) throws(PostgresStateError) -> [[PostgresValue]] {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.bind(into: &binds) }
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        let answer = connection.query(query, logger: connection.logger).flatMapThrowing { result in
            try result.map { row in try row.map(PostgresValue.init(cell:)) }
        }
        switch wait(answer, unlessClosed: connection) {
        case let .success(rows): return rows
        case let .failure(error): throw .statement(sql: sql, message: describe(error))
        }
    }

    /// Blocks the calling thread until `future` completes, or until `connection` closes: a query
    /// sent as the connection closes is not always failed by postgres-nio (its write has no
    /// promise, and a write refused by a closed channel leaves the query's own promise pending),
    /// and waiting for it would hold the session, and every caller behind its lock, for good.
    /// Not NIO's `wait()`, which refuses to run on any event-loop thread (the control API's among
    /// them) in debug builds.
    private static func wait<Value: Sendable>(_ future: EventLoopFuture<Value>, unlessClosed connection: PostgresConnection? = nil) -> Result<Value, any Error> {
        let latch = ThreadLatch()
        let outcome = Locked<Result<Value, any Error>?>(nil)
        let settle: @Sendable (Result<Value, any Error>) -> Void = { result in
            let first = outcome.withLock { outcome -> Bool in
                guard outcome == nil else { return false }
                outcome = result
                return true
            }
            if first { latch.open() }
        }
        future.whenComplete(settle)
        // Registered after the answer's callback, and both run on the connection's event loop: an
        // answer that came before the close wins.
        connection?.closeFuture.whenComplete { _ in settle(.failure(ConnectionClosed())) }
        latch.wait()
        return outcome.withLock { $0 } ?? .failure(PostgresStateError.connect(location: "", message: "no answer"))
    }

    /// The connection closed before the answer to a statement came.
    struct ConnectionClosed: Error, CustomStringConvertible {
        var description: String { "the connection closed before the answer came" }
    }

    /// The server's own message where there is one (`PSQLError`'s description hides it).
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let code = psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + code
            }
            if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
            return "\(psql.code)"
        }
        return "\(error)"
    }
}

/// A PostgreSQL failure, with the statement or server involved. Never about a document: a
/// processor that meets one has its document processed again (`StateUnavailable`).
public enum PostgresStateError: StateUnavailable, Sendable, CustomStringConvertible {
    case connect(location: String, message: String)
    case statement(sql: String, message: String)
    case schema(message: String)
    case unencodableAlert(alertClass: String)
    case fenced(node: String, term: Int64?)

    public var description: String {
        switch self {
        case let .connect(location, message): "cannot connect to PostgreSQL at \(location): \(message)"
        case let .statement(sql, message): "PostgreSQL error: \(message) (in: \(sql.prefix(80)))"
        case let .schema(message): "PostgreSQL schema: \(message)"
        case let .unencodableAlert(alertClass): "the \(alertClass) alert cannot be encoded as JSON"
        case let .fenced(node, term):
            term.map { "write refused: node \(node) no longer leads the cluster (its term \($0) is stale)" }
                ?? "write refused: node \(node) does not lead the cluster (standby)"
        }
    }
}

/// What a node's writes must hold in a cluster: the leader's row naming it with its term. A
/// standby (no term) writes nothing; a leader cut off and replaced is refused by the new term.
public enum PostgresFence: Sendable, Equatable {
    case standby(node: String)
    case leader(node: String, term: Int64)

    func check(_ run: (String, [PostgresValue]) throws(PostgresStateError) -> [[PostgresValue]]) throws(PostgresStateError) {
        switch self {
        case let .standby(node): throw .fenced(node: node, term: nil)
        case let .leader(node, term):
            // FOR SHARE: a new leader's UPDATE of this row waits until this write commits, so a
            // write that passed the check is never applied after the term moved on.
            let held = try run("SELECT 1 FROM leader WHERE id = 1 AND node = $1 AND term = $2 FOR SHARE", [.text(node), .integer(term)])
            guard !held.isEmpty else { throw .fenced(node: node, term: term) }
        }
    }
}
