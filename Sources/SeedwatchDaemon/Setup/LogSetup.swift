import Logging
import SeedwatchSystemd
import Synchronization
import SeedwatchCore

/// Chooses where log entries go (journal, stderr or both) once per process, and holds the level
/// every logger follows, so a reload can change `log.level` for loggers already made.
public enum LogSetup {
    private static let done = Locked(false)
    private static let level = SharedLogLevel(.info)

    /// `target`: `auto` sends to the journal under systemd, otherwise to stderr and, when a
    /// journald is running, to the journal as well.
    public static func bootstrap(target: String, level initial: Logger.Level) {
        let first = done.withLock { value -> Bool in
            defer { value = true }
            return !value
        }
        guard first else { return }
        level.set(initial)
        let journal: Bool
        let stderr: Bool
        switch target {
        case "journal": (journal, stderr) = (true, false)
        case "stderr": (journal, stderr) = (false, true)
        case "both": (journal, stderr) = (true, true)
        default:
            let underSystemd = JournalLogHandler.isStderrJournal
            (journal, stderr) = (JournalLogHandler.isJournalAvailable, !underSystemd)
        }
        LoggingSystem.bootstrap { label in
            var handlers: [any LogHandler] = []
            if journal { handlers.append(JournalLogHandler(label: label)) }
            if stderr { handlers.append(StderrLogHandler(label: label)) }
            // The inner handlers pass everything; the shared level filters in front of them.
            var inner: any LogHandler = handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
            inner.logLevel = .trace
            return SharedLevelLogHandler(inner: inner, shared: level)
        }
    }

    /// Changes the level of every logger that has not set its own (a reload of `log.level`).
    public static func setLevel(_ new: Logger.Level) {
        level.set(new)
    }
}

/// The process-wide log level, read on every log call.
final class SharedLogLevel: Sendable {
    private let value: Atomic<UInt8>

    init(_ level: Logger.Level) {
        value = Atomic(Self.code(level))
    }

    var level: Logger.Level { Self.levels[Int(value.load(ordering: .relaxed))] }

    func set(_ level: Logger.Level) {
        value.store(Self.code(level), ordering: .relaxed)
    }

    private static let levels: [Logger.Level] = Logger.Level.allCases

    private static func code(_ level: Logger.Level) -> UInt8 {
        UInt8(levels.firstIndex(of: level) ?? 0)
    }
}

/// Filters by the shared level unless this logger set a level of its own (swift-log's rule: a
/// level set on one `Logger` affects that logger only).
struct SharedLevelLogHandler: LogHandler {
    var inner: any LogHandler
    let shared: SharedLogLevel
    private var own: Logger.Level?

    init(inner: any LogHandler, shared: SharedLogLevel) {
        self.inner = inner
        self.shared = shared
    }

    var logLevel: Logger.Level {
        get { own ?? shared.level }
        set { own = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        inner.log(event: event)
    }
}
