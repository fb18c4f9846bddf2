import SeedwatchCore

extension StatusText {
    /// How each folder is watched, from the status document's `ingest` object:
    /// `inotify (ext4); /srv/in/nas: poll every 2000 ms (fuse)`.
    static func ingest(_ s: [String: JSONValue]) -> String {
        guard case let .object(ingest)? = s["ingest"] else { return "?" }
        let interval = ingest["poll_interval_ms"]?.intValue ?? 0
        let watch = s["watch"]?.stringValue
        let folders = (ingest["folders"]?.arrayValue ?? []).map { folder -> String in
            let path = folder["path"]?.stringValue ?? "?"
            let mode = folder["mode"]?.stringValue ?? "?"
            let how = mode == "poll" ? "poll every \(interval) ms" : mode
            let fs = folder["fs"]?.stringValue ?? "?"
            return (path == watch ? "" : path + ": ") + "\(how) (\(fs))"
        }
        let chosen = ingest["mode"]?.stringValue ?? "?"
        return folders.joined(separator: "; ") + (chosen == "auto" ? "" : " [ingest.mode \(chosen)]")
    }
}
