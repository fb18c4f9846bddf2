/// Configuration keys of the ingest modes: inotify, polling, or each chosen from the folder's
/// file system (kept apart from `DaemonConfigKeys` so the feature reads as one unit).
public enum IngestModeConfigKeys {
    public static let all: [ConfigKey] = [
        ConfigKey("ingest.mode", .choice(["auto", "inotify", "poll"]), default: .string("auto"),
                  help: "auto: poll folders on network and FUSE file systems, inotify elsewhere; inotify or poll: that everywhere"),
        ConfigKey("ingest.poll_interval_ms", .integer(min: 100, max: 3_600_000), default: .integer(2000),
                  help: "time between two polls of a polled folder; a new file is read once unchanged over one interval").appliedOnReload(),
    ]
}
