/// What happens to an input file once its outcome is durable in the outbox (or quarantine) and
/// the ledger has recorded it (`ingest.after`). A quarantined input is never deleted: with `move`
/// and `delete` it goes to `quarantine/files/<relative path>`.
public enum InputDisposition: Sendable, Equatable {
    /// Left in the watch folder.
    case keep
    /// Processed inputs and duplicates go to `done` at their path relative to the watch folder.
    case move(done: String, quarantineFiles: String)
    /// Processed inputs and duplicates are deleted.
    case delete(quarantineFiles: String)

    /// What was done with one input: the value of `INGEST_DISPOSITION`.
    public enum Kind: String, Sendable, CaseIterable {
        case moved, deleted, quarantined
    }

    /// The folder quarantined inputs go to, below the quarantine folder.
    public static let quarantineFilesFolder = "files"

    var quarantineFiles: String? {
        switch self {
        case .keep: nil
        case let .move(_, files), let .delete(files): files
        }
    }

    var keeps: Bool { self == .keep }
}
