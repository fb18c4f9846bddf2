/// Decodes HTML character references: numeric ones and the named ones news pages use.
enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ensp": " ", "emsp": " ",
        "thinsp": " ", "mdash": "-", "ndash": "-", "minus": "-", "lsquo": "'", "rsquo": "'", "sbquo": "'",
        "ldquo": "\"", "rdquo": "\"", "bdquo": "\"", "laquo": "\"", "raquo": "\"", "hellip": "...",
        "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "euro": "\u{20AC}", "pound": "\u{A3}",
        "yen": "\u{A5}", "cent": "\u{A2}", "deg": "\u{B0}", "middot": "\u{B7}", "bull": "\u{2022}",
        "eacute": "\u{E9}", "egrave": "\u{E8}", "aacute": "\u{E1}", "agrave": "\u{E0}", "iacute": "\u{ED}",
        "oacute": "\u{F3}", "uacute": "\u{FA}", "ntilde": "\u{F1}", "ccedil": "\u{E7}", "uuml": "\u{FC}",
        "ouml": "\u{F6}", "auml": "\u{E4}", "szlig": "\u{DF}", "times": "\u{D7}", "frac12": "\u{BD}",
        "shy": "", "zwj": "", "zwnj": "", "lrm": "", "rlm": "",
    ]

    /// Decodes the reference whose name (between "&" and ";") is `name`, or nil when unknown.
    static func decode(_ name: Substring) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return value == nil ? nil : "\u{FFFD}" }
            return String(Character(scalar))
        }
        return named[String(name)] ?? named[name.lowercased()]
    }

    /// Decodes every reference in `text`; unknown or unterminated ones stay as written.
    static func decodeAll(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";"), let decoded = decode(after[..<semi]) {
                out += decoded
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        out += rest
        return out
    }
}
