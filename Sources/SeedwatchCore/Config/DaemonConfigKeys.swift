/// The daemon's own configuration keys (processors add theirs through `ProcessorCatalog`).
/// Those marked `appliedOnReload()` change on SIGHUP; the others need a restart.
public enum DaemonConfigKeys {
    public static let defaultIgnore = [".*", "*.part", "*.tmp", "*.swp", "*~", "*.filepart", "*.crdownload"]

    public static let all: [ConfigKey] = [
        ConfigKey("watch", .path, default: .string("seeds"), help: "folder watched for incoming documents"),
        ConfigKey("outbox", .path, default: .string("outbox"), help: "folder results are written to"),
        ConfigKey("state", .path, default: .string("state"), help: "folder of the SQLite state database"),
        ConfigKey("quarantine", .path, default: .string("quarantine"), help: "folder of error records for files that cannot be processed"),
        ConfigKey("ingest.recursive", .bool, default: .bool(false), help: "also watch sub-folders of the watch folder"),
        ConfigKey("ingest.ignore", .stringList, default: .list(defaultIgnore),
                  help: "glob patterns of names that never count as arrived (temporary files of copy tools)").appliedOnReload(),
        ConfigKey("ingest.settle_ms", .integer(min: 0, max: 3_600_000), default: .integer(0),
                  help: "wait until size and mtime are unchanged for this long before reading (0: read at once)").appliedOnReload(),
        ConfigKey("ingest.max_size", .integer(min: 1, max: 1 << 40), default: .integer(32 << 20),
                  help: "largest file read, in bytes; larger files are quarantined").appliedOnReload(),
        ConfigKey("ingest.duplicates", .choice(["skip", "process"]), default: .string("skip"),
                  help: "what to do with a file whose content was already processed under another name").appliedOnReload(),
        ConfigKey("ingest.after", .choice(["keep", "move", "delete"]), default: .string("keep"),
                  help: "what happens to an input once its result is safe: keep it, move it to ingest.done_folder, or delete it").appliedOnReload(),
        ConfigKey("ingest.done_folder", .path, default: .string("done"),
                  help: "folder processed inputs are moved to with ingest.after=move (not inside the watch folder)").appliedOnReload(),
        ConfigKey("ingest.max_pending", .integer(min: 1, max: 100_000_000), default: .integer(1_000_000),
                  help: "names held in the queue; past this the watcher drops names and a rescan finds them"),
        ConfigKey("pipeline.max_in_flight", .integer(min: 0, max: 1024), default: .integer(0),
                  help: "documents processed at once (0: twice the number of cores, at least 4)").appliedOnReload(),
        ConfigKey("pipeline.timeout_ms", .integer(min: 1, max: 86_400_000), default: .integer(10_000),
                  help: "default time limit for one processor on one document").appliedOnReload(),
        ConfigKey("pipeline.drain_timeout_ms", .integer(min: 0, max: 3_600_000), default: .integer(10_000),
                  help: "on SIGTERM, how long documents in flight may take to finish").appliedOnReload(),
        ConfigKey("log.level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
                  default: .string("info"), help: "lowest level logged").appliedOnReload(),
        ConfigKey("log.target", .choice(["auto", "journal", "stderr", "both"]), default: .string("auto"),
                  help: "auto: the journal under systemd, else stderr plus the journal when journald runs"),
    ]
}
