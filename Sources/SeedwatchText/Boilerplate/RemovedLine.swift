/// Why a line was judged boilerplate.
public enum BoilerplateReason: String, Sendable, Codable, CaseIterable {
    /// Share buttons and social prompts ("Share this", "Tweet").
    case share
    /// A lone byline or author handle ("admin", "By Jane Doe").
    case byline
    /// An author box heading ("About Author").
    case authorBox = "author-box"
    /// Comment forms ("Leave a comment", "Your email address will not be published").
    case commentForm = "comment-form"
    /// A "Related Posts" / "You may also like" heading.
    case relatedBlock = "related-block"
    /// A line after a related-content heading near the end: unrelated headlines and teasers.
    case afterRelated = "after-related"
    /// "Source link", "Source: …".
    case sourceLink = "source-link"
    /// "Copyright …", "©", "All rights reserved".
    case copyright
    /// Pagination and carousel crumbs ("1 of 1,510", "Next page").
    case pagination
    /// A date or time standing alone.
    case date
    /// Calls to action: "Subscribe", "Read more", "Advertisement".
    case callToAction = "call-to-action"
    /// A line with no letters or digits once markup is gone ("![]()", "•").
    case noText = "no-text"
    /// A one- or two-word section label before the article ("Featured").
    case sectionLabel = "section-label"
    /// A repeat of an earlier line (a title printed twice).
    case duplicate
    /// A short line that is mostly link text (navigation left in the page body).
    case linkList = "link-list"
    /// A short fragment after the last line of prose (tags, category crumbs).
    case tailFragment = "tail-fragment"
}

/// A line removed as boilerplate, with where it was and why.
public struct RemovedLine: Sendable, Hashable, Codable {
    /// 1-based line number in the original document.
    public var line: Int
    public var text: String
    public var reason: BoilerplateReason

    public init(line: Int, text: String, reason: BoilerplateReason) {
        self.line = line
        self.text = text
        self.reason = reason
    }
}
