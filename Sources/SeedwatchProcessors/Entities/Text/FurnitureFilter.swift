/// Drops page furniture (share bars, bylines of the platform, copyright lines, "related posts")
/// from raw text before tagging, keeping offsets into the original text.
///
/// A stand-in for the text foundation's boilerplate removal: lines are kept or blanked (replaced
/// by spaces of the same length), so mention offsets still point into `Document.text`.
enum FurnitureFilter {
    /// Lines starting with these end the article: what follows is site furniture.
    static let endMarkers = [
        "copyright", "©", "all rights reserved", "about author", "about the author", "leave a comment",
        "leave a reply", "you may also like", "related posts", "related articles", "related stories",
        "source link", "read more", "more from", "recommended", "sign up for", "subscribe to",
    ]
    /// Lines starting with these are dropped on their own.
    static let lineMarkers = ["share this", "share on", "follow us", "click here", "advertisement", "![", "<img"]

    static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var ended = false
        var line = String.UnicodeScalarView()
        var seenBody = 0
        func finish(_ terminator: Unicode.Scalar?) {
            let trimmed = String(line).trimmingCharactersInWhitespace().lowercased()
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).count
            if !ended && seenBody >= 3 && endMarkers.contains(where: { trimmed.hasPrefix($0) }) { ended = true }
            let furniture = ended || lineMarkers.contains(where: { trimmed.hasPrefix($0) })
                || (words <= 2 && !trimmed.contains("."))  // labels: "Featured", "admin", "Foreign News"
            if furniture {
                out.append(contentsOf: line.map { _ in Unicode.Scalar(32) })
            } else {
                out.append(contentsOf: line)
                if words >= 6 { seenBody += 1 }
            }
            if let terminator { out.append(terminator) }
            line = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar == "\n" { finish(scalar) } else { line.append(scalar) }
        }
        finish(nil)
        return String(out)
    }
}

extension String {
    func trimmingCharactersInWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return Substring(scalars[first...last])
    }
}
