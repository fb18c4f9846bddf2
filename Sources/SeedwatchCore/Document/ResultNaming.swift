/// Names of outbox results and quarantine records, derived from the source path.
public enum ResultNaming {
    /// `<name>.<sha8>`: the name is the relative path (extension included) made safe for a file
    /// name by an unambiguous escape, so two sources share a result id only if they share path
    /// and content prefix.
    public static func resultID(relativePath: String, sha256: String) -> String {
        "\(safeName(relativePath)).\(sha256.prefix(8))"
    }

    /// `<name>.error.json` for the quarantine folder.
    public static func quarantineName(relativePath: String) -> String {
        "\(safeName(relativePath)).error.json"
    }

    /// Percent-escapes `%`, `/`, control characters and bidirectional controls (so the mapping
    /// is one-to-one: `a/b` is `a%2Fb`, and a literal `a%2Fb` is `a%252Fb`), and a leading dot
    /// (results must never look like temporary files). A name that may not be in NFC gets `~`
    /// and a hash of its bytes (`mayVaryInNormalisation`). Names over 200 bytes are cut at a
    /// character boundary and given a hash of the whole path, so long names stay distinct while
    /// `<name>.<sha8>.json` stays under the 255-byte limit.
    public static func safeName(_ name: String) -> String {
        var out = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            switch scalar {
            case "%", "/", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{200E}", "\u{200F}":
                out += escape(scalar)
            case "." where index == 0:
                out += escape(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                out += escape(scalar)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        if out.isEmpty { out = "%00" }
        if mayVaryInNormalisation(name) {
            // Two names that differ only in Unicode normalisation are two files, but look alike
            // and compare equal as Swift strings: a hash of the bytes tells their ids apart.
            out += "~" + SHA256.hex(of: Array(name.utf8)).prefix(8)
        }
        if out.utf8.count > 200 {
            var kept = String.UnicodeScalarView()
            var length = 0
            for scalar in out.unicodeScalars {
                length += UTF8.width(scalar)
                if length > 180 { break }
                kept.append(scalar)
            }
            out = String(kept) + "~" + SHA256.hex(of: Array(name.utf8)).prefix(12)
        }
        return out
    }

    /// True when the name holds a character that normalisation could change or combine with
    /// its neighbour: a mark, a Hangul jamo, a character excluded from composition. Of two
    /// spellings of one name, at most one is in NFC and the other holds such a character, so
    /// this marks at least one of them. Wider than "not in NFC" (the standard library offers no
    /// public NFC check): an NFC name with a combining mark is marked too.
    public static func mayVaryInNormalisation(_ name: String) -> Bool {
        name.unicodeScalars.contains { scalar in
            guard !scalar.isASCII else { return false }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: break
            }
            return properties.canonicalCombiningClass != .notReordered || properties.isFullCompositionExclusion
                || (0x1160...0x11FF).contains(scalar.value)
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        var bytes: [UInt8] = []
        UTF8.encode(scalar) { bytes.append($0) }
        return bytes.map { "%" + ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
    }
}
