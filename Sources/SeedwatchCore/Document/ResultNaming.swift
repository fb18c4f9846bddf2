/// Names of outbox results and quarantine records, derived from the source path.
public enum ResultNaming {
    /// `<stem>.<sha8>`: the stem is the relative path without its extension, with `/` turned into
    /// `__` and anything unsafe in a file name replaced, so two sources never share a result name
    /// unless they share name and content.
    public static func resultID(relativePath: String, sha256: String) -> String {
        "\(safeStem(relativePath)).\(sha256.prefix(8))"
    }

    /// `<name>.error.json` for the quarantine folder.
    public static func quarantineName(relativePath: String) -> String {
        "\(safeName(relativePath)).error.json"
    }

    static func safeStem(_ relativePath: String) -> String {
        var name = relativePath
        if let slash = name.lastIndex(of: "/"), let dot = name.lastIndex(of: "."), dot > slash, dot != name.index(after: slash) {
            name = String(name[..<dot])
        } else if !name.contains("/"), let dot = name.lastIndex(of: "."), dot != name.startIndex {
            name = String(name[..<dot])
        }
        return safeName(name)
    }

    /// Replaces path separators, control characters and other troublesome characters; bounds the
    /// length so that `<name>.<sha8>.json` and `<name>.error.json` stay under 255 bytes.
    public static func safeName(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "/": out += "__"
            case "\u{FFFD}": out += "%"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f: out += "_"
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{200E}", "\u{200F}": out += "_"
            default: out.unicodeScalars.append(scalar)
            }
        }
        if out.isEmpty || out.hasPrefix(".") { out = "_" + out }
        if out.utf8.count > 200 {
            // Cut at a character boundary: only a character split by the 200-byte limit is dropped.
            var kept = String.UnicodeScalarView()
            var length = 0
            for scalar in out.unicodeScalars {
                length += UTF8.width(scalar)
                if length > 200 { break }
                kept.append(scalar)
            }
            out = String(kept)
        }
        return out
    }
}
