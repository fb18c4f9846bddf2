/// Lines of a Markdown document with the markup stripped and the text kept.
///
/// Headings, emphasis, code spans, list and quote markers go; links keep their text; images
/// (`![alt](url)`), reference definitions, HTML tags and rule lines go entirely. Fenced code keeps
/// its lines (they are text) but loses the fences. Unbalanced brackets are left as they are.
public enum MarkdownExtractor {
    public static func lines(of text: String) -> [SourceLine] {
        var out: [SourceLine] = []
        var sawBlank = true
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = PlainTextExtractor.trim(raw)
            if line.hasPrefix("```") || line.hasPrefix("~~~") || isRule(line) || isReferenceDefinition(line) {
                // A `===` underline right below a text line makes that line a level-1 heading (setext).
                if isRule(line), line.hasPrefix("="), !sawBlank, let last = out.indices.last,
                   out[last].lineNumber == number - 1, out[last].headingLevel == 0 {
                    out[last].headingLevel = 1
                }
                sawBlank = true
                continue
            }
            let level = headingLevel(line)
            line = stripBlockMarkers(line)
            let stripped = PlainTextExtractor.trim(Substring(stripInline(line)))
            if stripped.isEmpty {
                sawBlank = true
                continue
            }
            out.append(SourceLine(text: String(stripped), lineNumber: number, startsBlock: sawBlank || raw.hasPrefix("#"),
                                  headingLevel: level))
            sawBlank = raw.hasPrefix("#")
        }
        return out
    }

    /// The ATX heading level of a line (`## Title` is 2), 0 when it is not one: one to six `#`
    /// followed by a space or nothing (`#hashtag` is text).
    static func headingLevel(_ line: Substring) -> Int {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard hashes >= 1, hashes <= 6 else { return 0 }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.hasPrefix(" ") || rest.hasPrefix("\t") ? hashes : 0
    }

    /// `---`, `***`, `===` (setext underlines and thematic breaks).
    static func isRule(_ line: Substring) -> Bool {
        guard line.count >= 3 else { return false }
        return line.allSatisfy { $0 == "-" || $0 == "=" || $0 == "*" || $0 == "_" || $0 == " " }
    }

    /// `[id]: http://…`
    static func isReferenceDefinition(_ line: Substring) -> Bool {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return false }
        return line[close...].hasPrefix("]:")
    }

    /// Removes heading hashes, quote markers and list bullets or numbers at the line start.
    static func stripBlockMarkers(_ line: Substring) -> Substring {
        var s = line
        var changed = true
        while changed {
            changed = false
            if s.hasPrefix("#") {
                s = s.drop(while: { $0 == "#" })
                s = s.drop(while: { $0 == " " })
                changed = true
            } else if s.hasPrefix(">") {
                s = s.dropFirst().drop(while: { $0 == " " })
                changed = true
            } else if s.hasPrefix("- ") || s.hasPrefix("* ") || s.hasPrefix("+ ") {
                s = s.dropFirst(2).drop(while: { $0 == " " })
                changed = true
            } else if let digitsEnd = s.firstIndex(where: { !$0.isASCII || !$0.isNumber }), digitsEnd != s.startIndex,
                      s.distance(from: s.startIndex, to: digitsEnd) <= 3,
                      s[digitsEnd...].hasPrefix(". ") || s[digitsEnd...].hasPrefix(") ") {
                s = s[digitsEnd...].dropFirst(2).drop(while: { $0 == " " })
                changed = true
            }
        }
        // Trailing heading hashes: "## Title ##".
        while s.hasSuffix("#") { s = s.dropLast() }
        return s
    }

    /// Strips inline markup in one left-to-right pass.
    static func stripInline(_ line: Substring) -> String {
        let chars = Array(line)
        var out = ""
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "!" where i + 1 < chars.count && chars[i + 1] == "[":
                if let (_, after) = link(chars, from: i + 1) { i = after; continue }
                out.append(c)
            case "[":
                if let (label, after) = link(chars, from: i) {
                    out += stripInline(Substring(label))
                    i = after
                    continue
                }
                out.append(c)
            case "<":
                if let close = chars[(i + 1)...].prefix(400).firstIndex(of: ">"), close > i + 1,
                   chars[i + 1].isLetter || chars[i + 1] == "/" || chars[i + 1] == "!" {
                    i = close + 1
                    continue
                }
                out.append(c)
            case "*", "`", "~":
                break
            case "_":
                let before = i > 0 ? chars[i - 1] : " "
                let after = i + 1 < chars.count ? chars[i + 1] : " "
                if before.isLetter && after.isLetter { out.append(c) }
            case "\\" where i + 1 < chars.count && chars[i + 1].isPunctuation:
                out.append(chars[i + 1])
                i += 2
                continue
            case " " where out.last == " ":
                break  // a removed image or code mark leaves no double space
            default:
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// `[label](target)` or `[label][ref]` starting at `start`: the label and the index after it.
    static func link(_ chars: [Character], from start: Int) -> (String, Int)? {
        guard start < chars.count, chars[start] == "[" else { return nil }
        var depth = 0
        var i = start
        var close = -1
        while i < chars.count && i - start < 2000 {
            if chars[i] == "[" { depth += 1 }
            if chars[i] == "]" {
                depth -= 1
                if depth == 0 { close = i; break }
            }
            i += 1
        }
        guard close > 0, close + 1 < chars.count else { return nil }
        let opener = chars[close + 1]
        let closer: Character = opener == "(" ? ")" : opener == "[" ? "]" : " "
        guard closer != " " else { return nil }
        var j = close + 2
        while j < chars.count && chars[j] != closer && j - close < 2000 { j += 1 }
        guard j < chars.count, chars[j] == closer else { return nil }
        return (String(chars[(start + 1)..<close]), j + 1)
    }
}
