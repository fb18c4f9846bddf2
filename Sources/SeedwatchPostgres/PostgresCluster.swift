import Logging
import SeedwatchCore
import SeedwatchExecutors

/// This node's membership of a cluster of daemons on one database, and its leadership.
///
/// Each `beat` renews the node's row in `nodes` and takes or renews the leader's lease in the
/// one-row table `leader`: a node takes it when the lease has run out (the term goes up by
/// one), and renews it while the row still names it with its own term. The lease is timed by
/// the database's clock (`now()`), so the hosts' clocks do not matter. Every change of leadership
/// sets the state session's fence: a standby writes nothing, and a leader that was paused or cut
/// off past its lease, and replaced, finds its term stale on its next write and steps down.
public final class PostgresCluster: ClusterNode {
    public var name: String { node }
    public let node: String
    public let lease: Duration
    /// Its own connection: a heartbeat never waits behind the state session's long transactions.
    private let session: PostgresSession
    /// The state's session, whose writes the fence guards.
    private let state: PostgresSession
    private let current = Locked(Held())

    struct Held {
        var term: Int64?
        var startedWritten = false
    }

    public init(node: String, lease: Duration, session: PostgresSession, state: PostgresSession) {
        self.node = node
        self.lease = lease
        self.session = session
        self.state = state
        state.setFence(.standby(node: node))
    }

    /// The leader's term while this node leads.
    public var term: Int64? { current.withLock { $0.term } }

    /// One heartbeat: the node's row, the leader's lease, and who is in the cluster now.
    public func beat(queue: Int, pid: Int) throws -> ClusterView {
        let held = current.withLock { $0 }
        let leaseMilliseconds = Int64(lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000)
        let view = try session.withTransaction { run throws(PostgresStateError) -> ClusterView in
            _ = try run(
                """
                INSERT INTO nodes(name, pid, started_at, heartbeat_at, queue) VALUES($1, $2, now(), now(), $3)
                ON CONFLICT(name) DO UPDATE SET pid = excluded.pid, heartbeat_at = now(), queue = excluded.queue,
                    started_at = CASE WHEN $4 = 1 THEN nodes.started_at ELSE now() END
                """,
                [.text(node), .integer(Int64(pid)), .integer(Int64(queue)), .integer(held.startedWritten ? 1 : 0)]
            )
            // Renew while the row is ours with our term (or ours from before a restart: names are
            // unique, so that process is gone); take it when its lease ran out; else leave it.
            // clock_timestamp(), not now(): the row lock may have been waited for (a paused node's
            // transaction, ended by the server), and now() is when this transaction began.
            let taken = try run(
                """
                INSERT INTO leader(id, term, node, lease_until) VALUES(1, 1, $1, clock_timestamp() + $2 * interval '1 millisecond')
                ON CONFLICT(id) DO UPDATE SET
                    term = CASE WHEN leader.node = $1 AND leader.term = $3 THEN leader.term ELSE leader.term + 1 END,
                    node = $1, lease_until = excluded.lease_until
                WHERE (leader.node = $1 AND (leader.term = $3 OR $3 = 0)) OR leader.lease_until < clock_timestamp()
                RETURNING term
                """,
                [.text(node), .integer(leaseMilliseconds), .integer(held.term ?? 0)]
            )
            let leaderRow = try run(
                "SELECT node, term, GREATEST(0, EXTRACT(EPOCH FROM lease_until - clock_timestamp()) * 1000)::BIGINT FROM leader WHERE id = 1", []
            ).first
            let members = try run(
                """
                SELECT name, (EXTRACT(EPOCH FROM now() - heartbeat_at) * 1000)::BIGINT, queue, pid FROM nodes
                WHERE heartbeat_at > now() - $1 * interval '1 millisecond' ORDER BY name
                """,
                [.integer(leaseMilliseconds)]
            ).compactMap { row -> ClusterView.Member? in
                guard row.count == 4, let name = row[0].text, let age = row[1].integer, let queue = row[2].integer else { return nil }
                return ClusterView.Member(name: name, heartbeatAgeMilliseconds: age, queue: queue, pid: row[3].integer ?? 0)
            }
            return ClusterView(
                node: node, members: members, leader: leaderRow?[0].text, term: leaderRow?[1].integer ?? 0,
                leaseLeftMilliseconds: leaderRow?[2].integer ?? 0, leading: taken.first?.first?.integer
            )
        }
        let changed = current.withLock { held -> Bool in
            held.startedWritten = true
            defer { held.term = view.leading }
            return held.term != view.leading
        }
        if changed {
            state.setFence(view.leading.map { .leader(node: node, term: $0) } ?? .standby(node: node))
        }
        return view
    }

    /// Stops leading now (a write found the term stale): writes are refused until a beat takes
    /// the lease again.
    public func stepDown() {
        current.withLock { $0.term = nil }
        state.setFence(.standby(node: node))
    }

    /// Gives up the lease at a clean stop, so another node takes over at once instead of after
    /// the lease; the node's row goes too.
    public func leave() {
        let held = current.withLock { $0.term }
        state.setFence(.standby(node: node))
        if let held {
            _ = try? session.query("UPDATE leader SET lease_until = now() - interval '1 second' WHERE id = 1 AND node = $1 AND term = $2",
                                   [.text(node), .integer(held)])
        }
        _ = try? session.query("DELETE FROM nodes WHERE name = $1", [.text(node)])
        session.close()
    }
}
