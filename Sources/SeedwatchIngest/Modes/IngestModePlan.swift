/// `ingest.mode`: how the watch folder is watched.
public enum IngestMode: String, Sendable, CaseIterable {
    /// inotify on local file systems; polling (with inotify too) on network and FUSE ones.
    case auto
    /// inotify only, wherever the folder is.
    case inotify
    /// Polling only: no inotify watch but the one that notices the watch folder itself going.
    case poll
}

/// How one folder (and what lies below it) is watched.
public enum WatchMethod: String, Sendable, Equatable {
    case inotify
    case poll
}

/// The watch folder, or a sub-folder on another file system than its parent, with how it is watched.
public struct IngestFolder: Sendable, Equatable {
    /// Relative to the watch folder; "" for the watch folder itself.
    public var path: String
    public var method: WatchMethod
    public var fileSystem: FileSystemKind

    public init(path: String, method: WatchMethod, fileSystem: FileSystemKind) {
        self.path = path
        self.method = method
        self.fileSystem = fileSystem
    }
}

/// Which folders are polled, decided from `ingest.mode` and, in `auto`, each folder's file system.
public struct IngestModePlan: Sendable, Equatable {
    /// The watch folder first, then each sub-folder whose file system differs from its parent's.
    public var folders: [IngestFolder]
    /// Folders polled with everything below them, relative to the watch folder, none inside another.
    public var pollRoots: [String]

    /// `subfolders`: the sub-folders of the watch folder (recursive mode), relative to it; each is
    /// checked with `statfs`, since a mount can sit anywhere below the watch folder.
    public init(mode: IngestMode, root: String, subfolders: [String], kind: (String) -> FileSystemKind? = { try? FileSystemKind.of(path: $0) }) {
        let rootKind = kind(root) ?? FileSystemKind(magic: 0)
        switch mode {
        case .inotify:
            folders = [IngestFolder(path: "", method: .inotify, fileSystem: rootKind)]
            pollRoots = []
        case .poll:
            folders = [IngestFolder(path: "", method: .poll, fileSystem: rootKind)]
            pollRoots = [""]
        case .auto:
            let rootMethod: WatchMethod = rootKind.isRemote ? .poll : .inotify
            folders = [IngestFolder(path: "", method: rootMethod, fileSystem: rootKind)]
            pollRoots = rootKind.isRemote ? [""] : []
            guard !rootKind.isRemote else { return }
            var kinds: [[UInt8]: FileSystemKind] = [[]: rootKind]
            // Parents before their children, so a folder inside a polled one is left to it.
            for folder in subfolders.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                guard !pollRoots.contains(where: { Self.isInside(folder, $0) }), let found = kind(root + "/" + folder) else { continue }
                kinds[Array(folder.utf8)] = found
                let parent = Array(folder.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropLast().joined(separator: [UInt8(ascii: "/")]))
                guard kinds[parent] != found else { continue }
                folders.append(IngestFolder(path: folder, method: found.isRemote ? .poll : .inotify, fileSystem: found))
                if found.isRemote { pollRoots.append(folder) }
            }
        }
    }

    /// Whether `path` is `folder` or lies below it (compared by bytes; "" holds everything).
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        if folder.isEmpty { return true }
        return path.utf8.elementsEqual(folder.utf8) || path.utf8.starts(with: Array((folder + "/").utf8))
    }

    /// The line the journal gets at start for one folder.
    public static func message(for folder: IngestFolder, mode: IngestMode, root: String, pollInterval: Duration) -> String {
        let place = folder.path.isEmpty ? "watch folder" : "sub-folder \(folder.path) of \(root)"
        let fs = "\(folder.fileSystem.name) (statfs \(folder.fileSystem.magicHex))"
        let forced = mode == .auto ? "" : " (ingest.mode is \(mode.rawValue))"
        switch folder.method {
        case .poll: return "\(place) is on \(fs): polling every \(pollInterval.wholeMilliseconds) ms\(forced)"
        case .inotify where folder.fileSystem.isRemote:
            return "\(place) is on \(fs): watched with inotify\(forced), which misses files written by other machines"
        case .inotify: return "\(place) is on \(fs): watched with inotify\(forced)"
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
