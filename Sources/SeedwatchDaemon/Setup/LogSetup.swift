import Logging
import SeedwatchSystemd
import Synchronization

/// Chooses where log entries go (journal, stderr or both) once per process.
public enum LogSetup {
    private static let done = Mutex(false)

    /// `target`: `auto` sends to the journal under systemd, otherwise to stderr and, when a
    /// journald is running, to the journal as well.
    public static func bootstrap(target: String, level: Logger.Level) {
        let first = done.withLock { value -> Bool in
            defer { value = true }
            return !value
        }
        guard first else { return }
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
            var handler: any LogHandler = handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
            handler.logLevel = level
            return handler
        }
    }
}
