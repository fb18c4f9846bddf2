/// Case- and diacritic-insensitive folding of a word ("Aṣ-Ṣadr" → "as-sadr", "Straße" → "strasse"),
/// the same as Foundation's `folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)`
/// gives, without Foundation: each scalar goes through `FoldTable`, and a mark that extends the
/// character before it is dropped (unless that character is one of `FoldTable.keepMarksAfter`). Entity names are keyed by this in the state database, so it
/// must not drift; `NameFoldingTests` pins it.
public enum NameFolding {
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var dropsMarks = false  // at the start, a mark has nothing to extend and stays
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                out.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(UInt8(value) | 0x20) : scalar)
                dropsMarks = true
                continue
            }
            let isMark = scalar.properties.isGraphemeExtend
            if isMark && dropsMarks { continue }
            dropsMarks = isMark || index(of: value, in: FoldTable.keepMarksAfter) == nil
            if let mapped = folded(value) {
                out.append(contentsOf: mapped.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func folded(_ value: UInt32) -> String? {
        index(of: value, in: FoldTable.scalars).map { FoldTable.folded[$0] }
    }

    /// Binary search in an ascending table.
    static func index(of value: UInt32, in table: [UInt32]) -> Int? {
        var low = 0, high = table.count
        while low < high {
            let middle = (low + high) / 2
            if table[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < table.count && table[low] == value ? low : nil
    }
}
