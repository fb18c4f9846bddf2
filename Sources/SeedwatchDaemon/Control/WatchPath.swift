import Glibc

/// Turns a path named by an API client into a path relative to the watch folder, refusing
/// anything that could reach outside it.
///
/// The check is lexical first (no `..`, absolute paths only below the watch folder), then each
/// component is `lstat`ed: a symbolic link anywhere on the way is refused, as the daemon never
/// follows links when reading either.
enum WatchPath {
    enum Refusal: Error, Equatable {
        case invalid(String)
        case forbidden(String)
        case missing(String)
        /// The ledger could not be updated.
        case unavailable(String)

        var isMissing: Bool { if case .missing = self { true } else { false } }
        var isForbidden: Bool { if case .forbidden = self { true } else { false } }
    }

    static func relative(_ named: String, root: String) -> Result<String, Refusal> {
        guard !named.isEmpty, !named.utf8.contains(0) else { return .failure(.invalid("the path is empty or contains NUL")) }
        var rest = named
        if named.hasPrefix("/") {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            guard named.hasPrefix(prefix) else { return .failure(.forbidden("\(named) is outside the watch folder")) }
            rest = String(named.dropFirst(prefix.count))
        }
        let components = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !components.isEmpty else { return .failure(.invalid("the path names the watch folder itself")) }
        if components.contains(where: { $0 == ".." }) { return .failure(.forbidden("'..' is not allowed")) }
        let clean = components.filter { $0 != "." }
        guard !clean.isEmpty else { return .failure(.invalid("the path names the watch folder itself")) }
        var current = root
        for (index, component) in clean.enumerated() {
            current += "/" + component
            var info = stat()
            guard lstat(current, &info) == 0 else { return .failure(.missing("\(clean.joined(separator: "/")) does not exist in the watch folder")) }
            let type = info.st_mode & S_IFMT
            if type == S_IFLNK { return .failure(.forbidden("\(current) is a symbolic link")) }
            let last = index == clean.count - 1
            if !last && type != S_IFDIR { return .failure(.invalid("\(current) is not a folder")) }
            if last && type != S_IFREG { return .failure(.invalid("\(current) is not a regular file")) }
        }
        return .success(clean.joined(separator: "/"))
    }

    /// A safe file name for a submitted document from a `?name=` hint: the last component,
    /// letters, digits, `.`, `_`, `-` only, no leading dot, at most 100 bytes.
    static func submittedName(hint: String?, fallback: String) -> String {
        guard let hint else { return fallback }
        let last = hint.split(separator: "/").last.map(String.init) ?? ""
        var kept = String(last.unicodeScalars.filter { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
        }.map(Character.init))
        while kept.hasPrefix(".") { kept.removeFirst() }
        kept = String(kept.prefix(100))
        return kept.isEmpty ? fallback : kept
    }
}
