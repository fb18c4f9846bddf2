/// One write to the dashboard's index (`DocumentIndex`), as a row a group commit (`StateBatch`)
/// carries beside the ledger's: the index rows of a document go into the transaction of its
/// ledger row instead of one transaction each.
public enum DocumentIndexChange: Sendable, Equatable {
    case record(IndexedDocument)
    case remove(id: String)
    case alert(IndexedAlert)
    /// The bytes of result `id` (`DocumentIndex.store(result:id:)`), for a back end that stores
    /// results; the others ignore it.
    case result(id: String, bytes: [UInt8])
}

extension DocumentIndex {
    /// Queues index writes for the next group commit where the index has one (the state
    /// database: the ledger row the pipeline writes next takes them along) and returns at once;
    /// elsewhere writes them now. The index is a view for people, so a write is never waited for:
    /// `failed` hears of one that was not made.
    public func enqueue(_ changes: [DocumentIndexChange], failed: @escaping @Sendable (any Error) -> Void) {
        do {
            try apply(changes)
        } catch {
            failed(error)
        }
    }

    /// The writes in order, through the protocol's calls.
    public func apply(_ changes: [DocumentIndexChange]) throws {
        for change in changes {
            switch change {
            case let .record(document): try record(document)
            case let .remove(id): try remove(id: id)
            case let .alert(alert): try record(alert)
            case let .result(id, bytes): try store(result: bytes, id: id)
            }
        }
    }
}
