import FoundationEssentials
import SeedwatchCore
import SeedwatchPipeline

/// The daemon's settings, read once from a validated configuration. Paths are absolute.
public struct DaemonSettings: Sendable {
    public var watch: String
    public var outbox: String
    public var state: String
    public var quarantine: String
    public var recursive: Bool
    public var ignore: [String]
    public var settle: Duration
    public var maxSize: Int
    public var processDuplicates: Bool
    /// `ingest.after`: keep, move or delete an input once done.
    public var after: String
    /// `ingest.done_folder`, absolute.
    public var done: String
    public var maxPending: Int
    public var maxInFlight: Int
    public var defaultTimeout: Duration
    public var drainTimeout: Duration

    public init(_ configuration: Configuration, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        func absolute(_ key: String) -> String {
            let path = configuration.string(key)
            let joined = path.hasPrefix("/") ? path : workingDirectory + "/" + path
            return URL(fileURLWithPath: joined).standardizedFileURL.path
        }
        watch = absolute("watch")
        outbox = absolute("outbox")
        state = absolute("state")
        quarantine = absolute("quarantine")
        recursive = configuration.bool("ingest.recursive")
        // Result and quarantine temporaries must never count as arrivals, should the outbox be
        // placed inside the watch folder.
        ignore = configuration.list("ingest.ignore")
        settle = .milliseconds(configuration.integer("ingest.settle_ms"))
        maxSize = configuration.integer("ingest.max_size")
        processDuplicates = configuration.string("ingest.duplicates") == "process"
        after = configuration.string("ingest.after")
        done = absolute("ingest.done_folder")
        maxPending = configuration.integer("ingest.max_pending")
        let inFlight = configuration.integer("pipeline.max_in_flight")
        // Writing a result waits on fsync more than on the CPU, so twice the cores (at least 4)
        // keeps the disk busy while processors use the CPU.
        maxInFlight = inFlight > 0 ? inFlight : max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        defaultTimeout = .milliseconds(configuration.integer("pipeline.timeout_ms"))
        drainTimeout = .milliseconds(configuration.integer("pipeline.drain_timeout_ms"))
    }

    /// What the pipeline does with an input once done; quarantined inputs go below the quarantine folder.
    public var disposition: InputDisposition {
        let files = quarantine + "/" + InputDisposition.quarantineFilesFolder
        switch after {
        case "move": return .move(done: done, quarantineFiles: files)
        case "delete": return .delete(quarantineFiles: files)
        default: return .keep
        }
    }
}
