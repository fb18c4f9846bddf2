import Foundation

/// The data kept beside the checkout in `../shared` (the seed articles, evaluation corpora), never
/// copied into the repository. A bare clone has none: tests that read it are skipped, and the trait
/// below names the missing folder in the skip message. CI has it, and fails on any skipped test.
public enum SharedData {
    /// `../shared`, from this file's place in the package (Tests/SeedwatchTestSupport/…).
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")

    /// `../shared/<relative>`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The five seed articles, `../shared/seeds`.
    public static var seeds: URL { url("seeds") }

    /// Whether `../shared/seeds` holds the seed articles (`.txt` files).
    public static var seedsAvailable: Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []
        return names.contains { $0.hasSuffix(".txt") }
    }

    /// Whether `../shared/<relative>` exists (a file or a folder).
    public static func available(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relative).path)
    }
}
