import Glibc
import Logging
import ServiceLifecycle
import SeedwatchCore
import SeedwatchExecutors

/// The heartbeat of a cluster node: every third of the lease it renews its membership and takes
/// or renews the leader's lease, and opens the leadership gate for one lease after each renewal. A database that
/// does not answer is said once, and again when it answers; the node keeps trying.
struct ClusterService: Service {
    let node: any ClusterNode
    let gate: LeadershipGate
    let board: ClusterBoard
    let queue: WorkQueue
    let status: StatusReporter
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var failing = false
            var announced: (leading: Int64?, leader: String?)?  // what the journal and STATUS= last said
            while !Task.isCancelled {
                let depth = await queue.depth
                // The lease runs from before the request: the database's lease cannot end earlier.
                let sent = ContinuousClock.now
                do {
                    // A round trip to the database, waited for on a thread of the blocking pool: on the
                    // worker pool (one thread per core) a database slow to answer would stall the daemon.
                    let view = try await BlockingThreadPool.shared.run { [node] () throws -> ClusterView in
                        try node.beat(queue: depth, pid: Int(getpid()))
                    }
                    gate.lead(until: view.leading == nil ? nil : sent.advanced(by: node.lease))
                    if failing {
                        logger.notice("cluster: the database answers again")
                        failing = false
                    }
                    board.update(view)
                    if announced == nil || announced?.leading != view.leading || announced?.leader != view.leader {
                        announced = (view.leading, view.leader)
                        if let term = view.leading {
                            logger.notice("cluster: node \(node.name) leads, term \(term)", metadata: ["NODE": "\(node.name)", "CLUSTER_TERM": "\(term)"])
                        } else {
                            logger.notice("cluster: node \(node.name) stands by, leader \(view.leader ?? "none") (term \(view.term))",
                                          metadata: ["NODE": "\(node.name)", "CLUSTER_TERM": "\(view.term)"])
                        }
                        await status.changed(force: true)
                    }
                } catch {
                    if !failing {
                        logger.error("cluster: heartbeat failed, retrying every \(node.lease / 3): \(error)", metadata: ["NODE": "\(node.name)"])
                        failing = true
                    }
                }
                try await DaemonExecutors.sleep(for: node.lease / 3)
            }
        }
        // Let the pipeline see the closed queue, then hand the lease to the next node at once.
        gate.openForShutdown()
        await BlockingThreadPool.shared.run { [node] in node.leave() }
    }
}
