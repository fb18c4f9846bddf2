import Foundation
import SeedwatchCore
import SeedwatchPostgres
import SeedwatchTestSupport
import Testing

/// A connection cut under a session (`FaultProxy` between it and the server): the call in flight
/// fails at once, its transaction is not applied, and the next call connects again.
@Suite(
    "PostgreSQL: a connection cut mid-transaction", .timeLimit(.minutes(TestTime.minutes(2))),
    .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)")
)
struct PostgresConnectionCutTests {
    static let sleeping = "SELECT pg_sleep(30)"

    /// Backends of `database` running the transaction's `pg_sleep`, as psql sees them.
    static func sleepers(_ server: PostgresServer, _ database: String) async throws -> Int {
        let count = try await server.runSQL(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '\(database)' AND query = '\(sleeping)'"
        )
        return Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The task's value, or nil when it has not come within `limit` (the task is left running:
    /// a hung call cannot be cancelled).
    static func value<Value: Sendable>(of task: Task<Value, Never>, within limit: Duration) async -> Value? {
        let once = Locked<CheckedContinuation<Value?, Never>?>(nil)
        let settle: @Sendable (Value?) -> Void = { value in
            once.withLock { continuation in
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
        return await withCheckedContinuation { continuation in
            once.withLock { $0 = continuation }
            Task { settle(await task.value) }
            Task {
                try? await Task.sleep(for: limit)
                settle(nil)
            }
        }
    }

    @Test("a fenced transaction in flight when its connection is cut fails at once, is not applied, and the next call reconnects")
    func cutMidTransaction() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        // The server notices a vanished client within 100 ms even in the middle of a statement,
        // so the cut transaction's end (its rollback) can be awaited instead of its 30 s sleep.
        try await server.runSQL("ALTER DATABASE \(database.name) SET client_connection_check_interval = '100ms'")
        let proxy = try FaultProxy(target: server.port)
        defer { proxy.stop() }
        let location = try PostgresLocation(url: "postgres://\(PostgresServer.user)@127.0.0.1:\(proxy.port)/\(database.name)")
        let session = PostgresSession(location: location, password: nil)
        let heartbeats = PostgresSession(location: location, password: nil)
        let state = try await OffPool.run { try PostgresState.open(session: session, node: "a") }
        let cluster = PostgresCluster(node: "a", lease: .seconds(60), session: heartbeats, state: session)
        #expect(try await OffPool.run { try cluster.beat(queue: 0, pid: 1) }.leading == 1)
        let upsert = "INSERT INTO processor_state(namespace, key, value) VALUES('cut', $1, $2) "
            + "ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value"

        // Fenced (the leader's row read first), then two writes with a long statement between them.
        let inFlight = Task {
            let started = ContinuousClock.now
            do {
                try await OffPool.run {
                    try session.transaction([
                        (upsert, [.text("first"), .bytes([1])]), (Self.sleeping, []), (upsert, [.text("second"), .bytes([2])]),
                    ])
                }
                return (failed: false, at: started)
            } catch {
                return (failed: true, at: ContinuousClock.now)
            }
        }
        var waited = 0
        while try await Self.sleepers(server, database.name) == 0, waited < 1000 { waited += 1 }
        #expect(try await Self.sleepers(server, database.name) == 1, "the transaction never reached its sleep")
        let cutAt = ContinuousClock.now
        #expect(proxy.cutAll() >= 2)  // the state session's and the heartbeat's
        // The call returns with the cut, not when the 30 s statement would have ended (nor never:
        // postgres-nio can leave a statement sent as the connection closes unanswered).
        let outcome = try #require(await Self.value(of: inFlight, within: .seconds(TestTime.seconds(20))), "the call did not return after the cut")
        #expect(outcome.failed)
        #expect(outcome.at - cutAt < .seconds(TestTime.seconds(10)), "failed \(outcome.at - cutAt) after the cut")

        // The server ends the cut backend (rolling its transaction back) within its check interval.
        waited = 0
        while try await Self.sleepers(server, database.name) > 0, waited < 1000 { waited += 1 }
        #expect(try await Self.sleepers(server, database.name) == 0)
        #expect(try await server.runSQL("SELECT COUNT(*) FROM processor_state WHERE namespace = 'cut'", database: database.name) == "0\n")

        // The next call connects again and succeeds: the cut cost one call, not the session.
        let connectionsBefore = proxy.accepted
        try await OffPool.run { try state.store.apply(namespace: "cut", [.save(key: "first", value: [3]), .save(key: "second", value: [4])]) }
        #expect(proxy.accepted == connectionsBefore + 1)
        #expect(
            try await server.runSQL("SELECT key || '=' || get_byte(value, 0) FROM processor_state WHERE namespace = 'cut' ORDER BY key", database: database.name)
                == "first=3\nsecond=4\n"
        )
        // A write after a cut while idle: no error at all once the session has seen the end of its connection.
        #expect(try await OffPool.run { try cluster.beat(queue: 0, pid: 1) }.leading == 1)
        session.close()
        heartbeats.close()
    }
}
