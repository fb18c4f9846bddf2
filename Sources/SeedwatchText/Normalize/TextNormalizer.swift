import FoundationEssentials

/// Unicode normalisation applied before any other text step.
///
/// NFC first (so "e" + combining acute and "é" compare equal), then typographic variants folded to
/// ASCII (curly quotes, dashes, ellipsis, non-breaking spaces) so that the tokenizer, the
/// abbreviation list and the boilerplate patterns need only one spelling. Invisible format
/// characters (zero-width spaces, bidi marks, soft hyphens, BOM) are dropped. Line breaks are kept
/// one for one (`\r\n` and `\r` become `\n`), so line numbers survive normalisation.
public enum TextNormalizer {
    /// Normalises `text`; ASCII-only input is returned after line-break folding without other work.
    public static func normalize(_ text: String) -> String {
        var isASCII = true
        var hasCR = false
        for byte in text.utf8 {
            if byte >= 0x80 { isASCII = false }
            if byte == 0x0D { hasCR = true }
        }
        if isASCII {
            return hasCR ? foldLineBreaks(text) : text
        }
        let composed = needsComposition(text) ? CanonicalComposition.nfc(text) : text
        if !hasCR && !composed.unicodeScalars.contains(where: { $0.value >= 0x80 && fold($0) != .keep }) {
            return composed  // non-ASCII but already clean (a "£" or an "é"): no rebuild
        }
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in composed.unicodeScalars {
            if previousWasCR {
                previousWasCR = false
                if scalar == "\n" { continue }
            }
            if scalar == "\r" {
                out.append("\n")
                previousWasCR = true
                continue
            }
            if scalar.value < 0x80 {
                out.append(scalar)
                continue
            }
            switch fold(scalar) {
            case .keep: out.append(scalar)
            case .drop: break
            case let .replace(text): out.append(contentsOf: text.unicodeScalars)
            }
        }
        return String(out)
    }

    /// How one non-ASCII scalar is folded.
    enum Folding: Equatable {
        case keep
        case drop
        case replace(String)
    }

    static func fold(_ scalar: Unicode.Scalar) -> Folding {
        switch scalar.value {
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0xFF07: return .replace("'")
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB, 0xFF02: return .replace("\"")
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D: return .replace("-")
        case 0x2026: return .replace("...")
        case 0x00A0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return .replace(" ")
        case 0x2028, 0x2029, 0x0085: return .replace(" ")
        case 0x00AD, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: return .drop
        default: return .keep
        }
    }

    /// True when NFC could change the text: a combining mark or a Hangul jamo is present.
    /// Precomposed text (almost all news) skips composition.
    static func needsComposition(_ text: String) -> Bool {
        for scalar in text.unicodeScalars where scalar.value >= 0x300 {
            if scalar.properties.canonicalCombiningClass != .notReordered { return true }
            if (0x1100...0x11FF).contains(scalar.value) { return true }
            if scalar.properties.generalCategory == .nonspacingMark { return true }
            if (0x2126...0x212B).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value) { return true }
        }
        return false
    }

    static func foldLineBreaks(_ text: String) -> String {
        text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    }
}
