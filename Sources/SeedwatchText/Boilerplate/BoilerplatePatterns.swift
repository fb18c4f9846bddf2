/// The small pattern list: phrases that mark a line as page furniture on their own.
///
/// Patterns match lower-cased, normalised lines. Most are restricted to short lines so that an
/// article sentence mentioning, say, copyright law is never caught.
enum BoilerplatePatterns {
    /// Matches `f` against the pattern list; nil when no pattern applies.
    static func match(_ f: LineFeatures) -> BoilerplateReason? {
        let l = f.lower
        if f.wordCount <= 12 {
            let bare = trimmedPunctuation(l)
            if relatedHeadings.contains(bare) { return .relatedBlock }
            if authorBoxes.contains(bare) { return .authorBox }
            if sourceLinks.contains(bare) || (bare.hasPrefix("source:") && f.wordCount <= 6) { return .sourceLink }
            if callsToAction.contains(bare) || ctaPrefixes.contains(where: { bare.hasPrefix($0) }) { return .callToAction }
            if isShare(f, bare) { return .share }
            if isByline(f, bare) { return .byline }
            if isPagination(f, bare) { return .pagination }
            if DatePattern.isStandaloneDate(f.words) { return .date }
        }
        if f.wordCount <= 40 && commentPhrases.contains(where: { ByteSearch.contains(l, $0) }) { return .commentForm }
        if isCopyright(f, l) { return .copyright }
        return nil
    }

    /// The line without leading and trailing punctuation, symbols and spaces.
    static func trimmedPunctuation(_ s: String) -> String {
        let scalars = s.unicodeScalars
        let isWordScalar = { (c: Unicode.Scalar) in ScalarClass.isLetter(c) || ScalarClass.isDigit(c) }
        guard let first = scalars.firstIndex(where: isWordScalar), let last = scalars.lastIndex(where: isWordScalar) else { return "" }
        return String(scalars[first...last])
    }

    static let relatedHeadings: Set<String> = [
        "related posts", "related post", "related articles", "related article", "related stories", "related news",
        "related", "you may also like", "you might also like", "you may like", "more stories", "more from",
        "recommended", "recommended for you", "read next", "trending", "trending now", "popular posts",
        "most popular", "most read", "latest news", "more news", "also read", "read also", "see also",
        "related topics", "more on this story", "top stories", "don't miss", "editor's picks",
    ]
    static let authorBoxes: Set<String> = ["about author", "about the author", "author", "author bio", "about us"]
    static let sourceLinks: Set<String> = ["source link", "source", "original source", "view source", "sources"]
    static let callsToAction: Set<String> = [
        "read more", "continue reading", "click here", "subscribe", "subscribe now", "advertisement",
        "sponsored", "sponsored content", "follow us", "sign up", "log in", "login", "register", "load more",
        "show more", "skip to content", "skip to main content", "back to top", "menu", "search", "close",
        "newsletter", "watch", "listen", "play video", "watch video", "ad", "story continues below advertisement",
    ]
    static let ctaPrefixes = [
        "sign up for", "subscribe to", "follow us on", "click here to", "download our app", "join our",
        "get the latest", "read more:", "read more about", "watch:", "listen:", "advertisement -",
    ]
    static let shareWords: Set<String> = [
        "share", "this", "tweet", "facebook", "twitter", "x", "whatsapp", "linkedin", "pinterest", "email",
        "reddit", "telegram", "print", "copy", "link", "on", "via", "messenger", "shares", "pin", "it",
    ]
    static let commentPhrases = [
        "leave a comment", "leave a reply", "your email address will not be published", "required fields are marked",
        "post comment", "comments are closed", "cancel reply", "save my name, email", "notify me of follow-up",
        "notify me of new posts", "you must be logged in to post a comment", "add a comment", "join the discussion",
        "be the first to comment",
    ]

    static func isShare(_ f: LineFeatures, _ bare: String) -> Bool {
        if bare.hasPrefix("share this") || bare.hasPrefix("share on ") || bare.hasPrefix("share:") { return f.wordCount <= 8 }
        return f.wordCount <= 8 && f.words.contains(where: { $0 == "share" || $0 == "tweet" || $0 == "facebook" || $0 == "whatsapp" })
            && f.words.allSatisfy { shareWords.contains($0) || $0.contains(".") }
    }

    static func isByline(_ f: LineFeatures, _ bare: String) -> Bool {
        if ["admin", "administrator", "editor", "staff", "staff reporter", "web desk", "news desk"].contains(bare) { return true }
        let prefixes = ["by ", "posted by ", "written by ", "author: ", "reporting by ", "words by "]
        guard prefixes.contains(where: { bare.hasPrefix($0) }), f.wordCount <= 8, !f.endsWithTerminal else { return false }
        return f.stopWords <= 2
    }

    static func isPagination(_ f: LineFeatures, _ bare: String) -> Bool {
        let w = f.words
        if w.count == 3 && w[1] == "of" && isNumber(w[0]) && isNumber(w[2]) { return true }
        if w.count == 4 && w[0] == "page" && w[2] == "of" && isNumber(w[1]) && isNumber(w[3]) { return true }
        if w.count == 2 && w[0] == "page" && isNumber(w[1]) { return true }
        let crumbs: Set<String> = ["next", "previous", "prev", "next page", "previous page", "older posts", "newer posts",
                                   "next post", "previous post", "next article", "previous article", "next story"]
        if crumbs.contains(bare) { return true }
        return !w.isEmpty && w.count <= 12 && w.allSatisfy(isNumber) && f.letters == 0
    }

    static func isNumber(_ word: String) -> Bool {
        !word.isEmpty && word.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2C }
    }

    static func isCopyright(_ f: LineFeatures, _ l: String) -> Bool {
        if ByteSearch.contains(l, "all rights reserved") || ByteSearch.contains(l, "\u{A9}") { return true }
        if l.hasPrefix("copyright") || l.hasPrefix("(c) ") { return f.wordCount <= 60 }
        return ByteSearch.contains(l, "may not be published, broadcast, rewritten or redistributed")
    }
}
