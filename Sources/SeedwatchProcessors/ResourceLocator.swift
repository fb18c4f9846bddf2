import Foundation

/// Finds files shipped with the processors (models, word lists) without `Bundle.module`, which
/// stops the process when the resource bundle is not next to the binary (an installed package).
///
/// Looks in, in order: `$SEEDWATCH_RESOURCES`, the SwiftPM resource bundle beside the executable,
/// `/usr/share/seedwatch`, and the source tree this binary was built from.
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
        let beside = executable.deletingLastPathComponent()
        for bundle in ["seedwatch_SeedwatchProcessors.resources", "seedwatch_SeedwatchProcessors.bundle"] {
            directories.append(beside.appendingPathComponent(bundle))
        }
        if let main = Bundle.main.resourceURL {
            directories.append(main.appendingPathComponent("seedwatch_SeedwatchProcessors.resources"))
        }
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
