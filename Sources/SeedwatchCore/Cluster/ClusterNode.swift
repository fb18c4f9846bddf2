/// This daemon as one node of a cluster on a shared database (`database.url`): its heartbeat and
/// its leadership. Only the leader takes documents; the other nodes stand by and take over when
/// its lease runs out (README "Cluster").
public protocol ClusterNode: Sendable {
    var name: String { get }
    var lease: Duration { get }
    /// One heartbeat: renews this node's membership and takes or renews the leader's lease.
    func beat(queue: Int, pid: Int) throws -> ClusterView
    /// Gives up the lease and the membership at a clean stop.
    func leave()
}

/// The cluster as one heartbeat saw it.
public struct ClusterView: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var name: String
        public var heartbeatAgeMilliseconds: Int64
        public var queue: Int64
        public var pid: Int64

        public init(name: String, heartbeatAgeMilliseconds: Int64, queue: Int64, pid: Int64) {
            self.name = name
            self.heartbeatAgeMilliseconds = heartbeatAgeMilliseconds
            self.queue = queue
            self.pid = pid
        }
    }

    /// This node's name.
    public var node: String
    /// The nodes whose heartbeat is younger than the lease, by name.
    public var members: [Member]
    public var leader: String?
    public var term: Int64
    public var leaseLeftMilliseconds: Int64
    /// This node's term when it leads.
    public var leading: Int64?

    public init(node: String, members: [Member], leader: String?, term: Int64, leaseLeftMilliseconds: Int64, leading: Int64?) {
        self.node = node
        self.members = members
        self.leader = leader
        self.term = term
        self.leaseLeftMilliseconds = leaseLeftMilliseconds
        self.leading = leading
    }

    /// `Cluster: 3 nodes (a, b, c), leader a, term 7`, as `seedwatch status` prints it.
    public var summary: String {
        let names = members.map(\.name).joined(separator: ", ")
        let count = members.count == 1 ? "1 node" : "\(members.count) nodes"
        return "\(count) (\(names)), leader \(leader ?? "none"), term \(term)"
    }
}
