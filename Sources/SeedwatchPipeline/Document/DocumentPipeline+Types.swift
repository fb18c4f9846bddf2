import FoundationEssentials
import SeedwatchCore

extension DocumentPipeline {
    /// What may change between documents (a reload): read per document.
    public struct Settings: Sendable {
        /// The folder paths are relative to (the watch folder).
        public var root: String
        public var maxSize: Int
        /// Wait until size and mtime are unchanged this long before reading.
        public var settle: Duration
        /// Process content already processed under another name again, instead of a duplicate record.
        public var processDuplicates: Bool
        /// What happens to an input once its outcome is durable (`ingest.after`).
        public var disposition: InputDisposition

        public init(root: String, maxSize: Int, settle: Duration = .zero, processDuplicates: Bool = false, disposition: InputDisposition = .keep) {
            self.root = root
            self.maxSize = maxSize
            self.settle = settle
            self.processDuplicates = processDuplicates
            self.disposition = disposition
        }

        /// The full path of `relativePath`, as results and quarantine records show it.
        func fullPath(_ relativePath: String) -> String {
            root == "/" ? "/" + relativePath : root + "/" + relativePath
        }
    }

    /// A file taken on, with its ledger row as read once when it was admitted: nothing else
    /// writes that row until the document is done (the work queue holds a name once).
    public struct Admission: Sendable {
        public enum Subject: Sendable, Equatable {
            case file(String)
            /// A name that is not valid UTF-8, shown with %XX escapes; it is never opened.
            case badName(escaped: String)
        }

        public var subject: Subject
        public var previous: LedgerEntry?
        /// The ledger could not be read at admission (the database away): `previous` is read
        /// again, with retries, when the document is processed.
        public var previousUnread: Bool

        public init(subject: Subject, previous: LedgerEntry?, previousUnread: Bool = false) {
            self.subject = subject
            self.previous = previous
            self.previousUnread = previousUnread
        }
    }

    /// How one document ended.
    public enum Outcome: Sendable, Equatable {
        /// Same content as recorded (touched, or copied over itself): only the new stamp recorded.
        case unchanged
        case processed(id: String)
        case duplicate(id: String, of: String)
        case quarantined(code: QuarantineCode, message: String)
        /// Stopped before its outcome was recorded (the daemon is stopping): nothing was kept,
        /// so the file is processed again at the next start. Also a document whose state was
        /// unavailable (`StateUnavailable`): nothing was kept, and it is queued again.
        case abandoned
    }

    /// What the daemon counts and measures.
    public enum Event: Sendable {
        case unchanged
        case processed(overruns: Int)
        case duplicate
        case quarantined(code: QuarantineCode)
        case processorFinished(name: String, duration: Duration)
        case processorFailed(name: String)
        /// Time, class and text of an alert raised, and its class alone.
        case alertRaised(String, alertClass: String)
        /// A result or duplicate record written to the outbox, retries included.
        case resultWritten(Duration)
        /// A ledger entry recorded, retries included.
        case ledgerWritten(Duration)
        /// An input moved to the done folder, deleted, or moved beside its quarantine record.
        case disposed(InputDisposition.Kind)
    }
}
