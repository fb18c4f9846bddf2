import Glibc

/// Glob patterns (fnmatch) of names that never count as arrived: the temporary files that copy
/// tools write before renaming into place.
public struct IgnorePatterns: Sendable {
    public let patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns
    }

    /// Whether the last path component matches a pattern. A leading dot is not special to
    /// fnmatch here, so `.*` is how dotfiles are ignored.
    public func ignores(name: String) -> Bool {
        patterns.contains { fnmatch($0, name, 0) == 0 }
    }

    /// Whether any component of a relative path is ignored (a file inside `.git/` counts as ignored).
    public func ignores(relativePath: String) -> Bool {
        relativePath.split(separator: "/").contains { ignores(name: String($0)) }
    }
}
