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

    /// In a cluster: `\n    Cluster: 3 nodes (a, b, c), leader a, term 7`; nothing on SQLite.
    static func cluster(_ s: [String: JSONValue]) -> String {
        guard case let .object(cluster)? = s["cluster"] else { return "" }
        let names = (cluster["nodes"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let count = names.count == 1 ? "1 node" : "\(names.count) nodes"
        let leader = cluster["leader"]?.stringValue ?? "none"
        let role = cluster["leading"] == .bool(true) ? "" : " (this node \(cluster["node"]?.stringValue ?? "?") stands by)"
        return "\n    Cluster: \(count) (\(names.joined(separator: ", "))), leader \(leader), term \(cluster["term"]?.intValue ?? 0)\(role)"
    }
}
