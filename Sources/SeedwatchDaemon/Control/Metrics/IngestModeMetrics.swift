import SeedwatchIngest

/// `seedwatch_ingest_mode{folder,mode}`: 1 for the mode each watched folder uses, 0 for the
/// other, so an alert can select polled folders. Written as text, since the folders and their
/// modes are replaced as a whole (a mount comes or goes), which a swift-metrics gauge cannot forget.
enum IngestModeMetrics {
    static func exposition(_ board: IngestModeBoard.Snapshot) -> String {
        guard !board.folders.isEmpty else { return "" }
        var lines = [
            "# HELP seedwatch_ingest_mode How each watched folder is watched: 1 for its mode (inotify or poll), 0 for the other.",
            "# TYPE seedwatch_ingest_mode gauge",
        ]
        for folder in board.folders {
            let name = escaped(board.absolute(folder))
            for method in [WatchMethod.inotify, .poll] {
                lines.append("seedwatch_ingest_mode{folder=\"\(name)\",mode=\"\(method.rawValue)\"} \(folder.method == method ? 1 : 0)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value as the text format wants it: backslash, double quote and line feed escaped.
    static func escaped(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
