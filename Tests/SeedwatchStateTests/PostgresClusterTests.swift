import Foundation
import SeedwatchCore
import SeedwatchExecutors
import SeedwatchPostgres
import SeedwatchTestSupport
import Testing

/// Leadership and fencing on a real PostgreSQL, one heartbeat at a time: no daemons, no timing.
/// A paused leader is played by moving the lease's end into the past, as a pause past it would.
@Suite("PostgreSQL cluster: leadership and fencing", .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)"))
struct PostgresClusterTests {
    struct Node {
        let cluster: PostgresCluster
        let store: PostgresStateStore
        let ledger: PostgresLedger
        let session: PostgresSession
    }

    /// Opened off Swift's pool: opening connects and migrates the schema.
    static func node(_ name: String, _ url: String, lease: Duration = .seconds(60)) async throws -> Node {
        let location = try PostgresLocation(url: url)
        let state = try await OffPool.run {
            try PostgresState.open(session: PostgresSession(location: location, password: nil, abandonTransactionsAfter: lease), node: name)
        }
        let cluster = PostgresCluster(
            node: name, lease: lease, session: PostgresSession(location: location, password: nil, abandonTransactionsAfter: lease), state: state.session
        )
        return Node(cluster: cluster, store: state.store, ledger: state.ledger, session: state.session)
    }

    static func isFenced(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch let error as PostgresStateError {
            if case .fenced = error { return true }
            return false
        } catch {
            return false
        }
    }

    @Test("one node leads and writes; a standby's writes are refused; a leader past its lease is replaced, refused, and steps down")
    func leadershipAndFencing() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let a = try await Self.node("a", database.url)
        let b = try await Self.node("b", database.url)

        // Before any heartbeat a node is a standby: it writes nothing.
        #expect(Self.isFenced { try a.store.save(namespace: "t", key: "k", value: [0]) })

        let first = try a.cluster.beat(queue: 3, pid: 11)
        #expect(first.leading == 1)
        #expect(first.leader == "a")
        let standby = try b.cluster.beat(queue: 0, pid: 12)
        #expect(standby.leading == nil)
        #expect(standby.leader == "a" && standby.term == 1)
        #expect(standby.members.map(\.name) == ["a", "b"])
        #expect(standby.members.first?.queue == 3)
        #expect(standby.summary == "2 nodes (a, b), leader a, term 1")

        try a.store.save(namespace: "t", key: "k", value: [1])
        #expect(Self.isFenced { try b.store.save(namespace: "t", key: "k", value: [2]) })
        // Renewing keeps the term.
        #expect(try a.cluster.beat(queue: 0, pid: 11).leading == 1)
        #expect(try b.cluster.beat(queue: 0, pid: 12).leading == nil)

        // `a` pauses past its lease: `b` takes over with the next term.
        let generationBefore = a.store.generation
        try await server.runSQL("UPDATE leader SET lease_until = now() - interval '1 second'", database: database.name)
        let takeover = try b.cluster.beat(queue: 0, pid: 12)
        #expect(takeover.leading == 2)
        try b.store.save(namespace: "t", key: "k", value: [3])

        // `a` resumes still believing it leads: its writes carry term 1 and are refused, the ledger's too.
        #expect(a.cluster.term == 1)
        #expect(Self.isFenced { try a.store.save(namespace: "t", key: "k", value: [4]) })
        #expect(Self.isFenced {
            try a.ledger.record(LedgerEntry(path: "x.txt", size: 1, modifiedNanoseconds: 1, sha256: "00", status: .processed, duplicateOf: nil,
                                            resultID: "r", code: nil, updatedAt: Date()))
        })
        #expect(try b.store.load(namespace: "t", key: "k") == [3])
        #expect(try await server.runSQL("SELECT COUNT(*) FROM files", database: database.name) == "0\n")

        // Its next heartbeat finds the new term: it stands by, and its processors reload their state.
        let steppedDown = try a.cluster.beat(queue: 0, pid: 11)
        #expect(steppedDown.leading == nil)
        #expect(steppedDown.leader == "b" && steppedDown.term == 2)
        #expect(a.cluster.term == nil)
        #expect(a.store.generation != generationBefore)
    }

    @Test("a node restarted under its name takes its lease back with a new term; a clean leave hands it on at once")
    func restartAndLeave() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let a = try await Self.node("a", database.url)
        #expect(try a.cluster.beat(queue: 0, pid: 1).leading == 1)
        // The same name again (the old process is gone): no wait for the old lease.
        let restarted = try await Self.node("a", database.url)
        #expect(try restarted.cluster.beat(queue: 0, pid: 2).leading == 2)
        #expect(Self.isFenced { try a.store.save(namespace: "t", key: "k", value: [1]) })

        let b = try await Self.node("b", database.url)
        #expect(try b.cluster.beat(queue: 0, pid: 3).leading == nil)
        restarted.cluster.leave()
        let after = try b.cluster.beat(queue: 0, pid: 3)
        #expect(after.leading == 3)
        #expect(after.members.map(\.name) == ["b"])
    }

    /// Without the server ending it, the paused node's open transaction would hold the leader's row
    /// and the other node's heartbeat would wait for good (this test would hang to its time limit).
    @Test("a node paused inside a transaction does not stop the others: its session is ended, and the lease passes on",
          .timeLimit(.minutes(1)))
    func pausedInsideATransaction() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let a = try await Self.node("a", database.url, lease: .milliseconds(300))
        let b = try await Self.node("b", database.url, lease: .milliseconds(300))
        #expect(try a.cluster.beat(queue: 0, pid: 1).leading == 1)

        let locked = ThreadLatch()
        let resume = ThreadLatch()
        // a holds the leader's row (a fenced write's check) and stops, as a SIGSTOP would stop it.
        let paused = Task {
            try await OffPool.run { () -> Bool in
                do {
                    try a.session.withTransaction { run throws(PostgresStateError) in
                        _ = try run("SELECT 1 FROM leader WHERE id = 1 FOR SHARE", [])
                        locked.open()
                        resume.wait()
                    }
                    return true
                } catch {
                    return false
                }
            }
        }
        try await OffPool.run { locked.wait() }
        let takeover = try await OffPool.run { try b.cluster.beat(queue: 0, pid: 2) }
        resume.open()
        // Resumed, a finds its session ended by the server: its commit fails, and does not wait for
        // an answer that will never come (the daemon's threads hung there, and it ignored SIGTERM).
        #expect(try await paused.value == false)
        // Its next call opens a new connection and gets an answer.
        #expect(try await OffPool.run { try a.session.query("SELECT 1") }.count == 1)
        #expect(takeover.leading == 2)
        #expect(takeover.leader == "b")
    }
}
