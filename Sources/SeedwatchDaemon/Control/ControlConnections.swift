import NIOCore
import SeedwatchCore

/// Caps the control connections open at once, so idle clients cannot use up the daemon's file
/// descriptors (which documents need too) nor keep `/healthz` from answering.
///
/// At the cap, a new connection closes the oldest one that has not yet sent a whole request:
/// a client that connects and waits loses its place to one that talks. When every connection
/// is being answered, the new one is closed instead.
final class ControlConnections: Sendable {
    private struct Entry {
        var id: ObjectIdentifier
        var channel: any Channel
        var answering: Bool
    }

    private let limit: Int
    /// In the order they were accepted.
    private let open = Locked<[Entry]>([])

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var count: Int { open.withLock { $0.count } }

    /// Registers a new connection; false when it must be closed at once.
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let (admitted, evicted) = open.withLock { entries -> (Bool, (any Channel)?) in
            var evicted: (any Channel)?
            if entries.count >= limit {
                guard let oldest = entries.firstIndex(where: { !$0.answering }) else { return (false, nil) }
                evicted = entries.remove(at: oldest).channel
            }
            entries.append(Entry(id: id, channel: channel, answering: false))
            return (true, evicted)
        }
        evicted?.close(promise: nil)
        if admitted {
            channel.closeFuture.whenComplete { [open] _ in
                open.withLock { $0.removeAll { $0.id == id } }
            }
        }
        return admitted
    }

    /// The connection's request is complete: it is no longer a candidate for eviction.
    func answering(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        open.withLock { entries in
            if let index = entries.firstIndex(where: { $0.id == id }) { entries[index].answering = true }
        }
    }
}
