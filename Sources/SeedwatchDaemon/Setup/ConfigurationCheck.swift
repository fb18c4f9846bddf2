import FoundationEssentials
import Glibc
import SeedwatchCore

/// The checks `check-config` and `run` share beyond each key's type and range, so that a
/// configuration one accepts the other never refuses: the processors named exist, the control
/// API's socket and TCP address are usable, and the four folders (five with `ingest.after` move) are apart.
public enum ConfigurationCheck {
    public static func validate(
        _ configuration: Configuration, workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws {
        _ = try ProcessorSetup.requestedNames(configuration)
        _ = try ControlSettings(configuration, workingDirectory: workingDirectory)
        _ = try DatabaseSettings(configuration)
        try foldersApart(DaemonSettings(configuration, workingDirectory: workingDirectory))
    }

    /// Refuses a folder that is another one, or inside another: with the outbox in the watch
    /// folder the daemon would process its own results, with the state there it would read its
    /// database as a document. Symbolic links are resolved, so two names for one folder count.
    static func foldersApart(_ settings: DaemonSettings) throws(ConfigError) {
        var folders = [("watch", settings.watch), ("outbox", settings.outbox), ("quarantine", settings.quarantine), ("state", settings.state)]
        // The done folder only matters when inputs are moved there: inside the watch folder they
        // would arrive again.
        if settings.after == "move" { folders.append(("ingest.done_folder", settings.done)) }
        let resolved = folders.map { (key: $0.0, path: $0.1, real: resolve($0.1)) }
        for (index, folder) in resolved.enumerated() {
            for other in resolved[..<index] {
                if folder.real == other.real {
                    throw .overlappingFolders(key: folder.key, path: folder.path, other: other.key, otherPath: other.path, relation: "is the same folder as")
                }
                if isInside(folder.real, other.real) {
                    throw .overlappingFolders(key: folder.key, path: folder.path, other: other.key, otherPath: other.path, relation: "is inside")
                }
                if isInside(other.real, folder.real) {
                    throw .overlappingFolders(key: folder.key, path: folder.path, other: other.key, otherPath: other.path, relation: "contains")
                }
            }
        }
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        folder == "/" ? path != "/" : path.hasPrefix(folder + "/")
    }

    /// The path with symbolic links resolved as far as it exists; the missing rest (a folder
    /// the daemon creates at start) is appended unchanged.
    static func resolve(_ path: String) -> String {
        var existing = path
        var missing: [Substring] = []
        while true {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                let base = String(cString: real)
                if missing.isEmpty { return base }
                return (base == "/" ? "" : base) + "/" + missing.reversed().joined(separator: "/")
            }
            guard let slash = existing.lastIndex(of: "/"), existing != "/" else { return path }
            missing.append(existing[existing.index(after: slash)...])
            existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
        }
    }
}
