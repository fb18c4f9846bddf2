import SeedwatchCore
import SeedwatchIngest

/// How each watched folder is watched now, for STATUS=, `GET /status` and `/metrics`; changed
/// when a mount appears or goes under a recursive watch folder, or a reload sets another interval.
public final class IngestModeBoard: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var mode: IngestMode = .auto
        public var root = ""
        /// The watch folder first, then sub-folders on another file system than their parent.
        public var folders: [IngestFolder] = []
        public var pollInterval: Duration = .seconds(2)

        public var polled: [IngestFolder] { folders.filter { $0.method == .poll } }

        /// The absolute path of a folder of the list.
        public func absolute(_ folder: IngestFolder) -> String {
            folder.path.isEmpty ? root : root + "/" + folder.path
        }
    }

    private let state = Locked(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    public func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }

    /// Appended to STATUS= while any folder is polled: `, polling every 2000 ms: watch folder (fuse)`.
    var statusFragment: String {
        let s = snapshot
        let polled = s.polled
        guard !polled.isEmpty else { return "" }
        let names = polled.map { "\($0.path.isEmpty ? "watch folder" : $0.path) (\($0.fileSystem.name))" }
        return ", polling every \(s.pollInterval.wholeMilliseconds) ms: \(names.joined(separator: ", "))"
    }

    /// The `ingest` object of `GET /status`.
    var json: JSONValue {
        let s = snapshot
        return .object([
            "mode": .string(s.mode.rawValue),
            "poll_interval_ms": .integer(Int(s.pollInterval.wholeMilliseconds)),
            "folders": .array(s.folders.map { folder in
                .object([
                    "path": .string(s.absolute(folder)),
                    "mode": .string(folder.method.rawValue),
                    "fs": .string(folder.fileSystem.name),
                    "statfs_type": .string(folder.fileSystem.magicHex),
                ])
            }),
        ])
    }
}
