import FoundationEssentials

/// Finds files shipped with the processors (models, word lists). Not through SwiftPM's
/// `Bundle.module`: that accessor imports Foundation (libFoundation and ICU, ~11 MiB of resident
/// memory) and stops the process when its bundle is not next to the binary.
///
/// Looks in, in order: `$SEEDWATCH_RESOURCES`, `share/seedwatch` beside the executable's folder
/// (`/usr/local/bin` → `/usr/local/share/seedwatch`), `/usr/share/seedwatch` (the package), and
/// the source tree this binary was built from.
public enum ResourceLocator {
    public static func url(for name: String) -> URL? {
        for directory in searchDirectories() {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isReadableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Reads a shipped resource; the error names every place that was searched.
    public static func data(for name: String) throws -> Data {
        guard let url = url(for: name) else {
            let places = searchDirectories().map(\.path).joined(separator: ", ")
            throw ResourceError.missing(name: name, searched: places)
        }
        return try Data(contentsOf: url)
    }

    static func searchDirectories() -> [URL] {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["SEEDWATCH_RESOURCES"], !override.isEmpty {
            directories.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        directories.append(executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/seedwatch"))
        directories.append(URL(fileURLWithPath: "/usr/share/seedwatch"))
        directories.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources"))
        return directories
    }
}

public enum ResourceError: Error, CustomStringConvertible {
    case missing(name: String, searched: String)

    public var description: String {
        switch self {
        case let .missing(name, searched): "resource \(name) not found (searched \(searched))"
        }
    }
}
