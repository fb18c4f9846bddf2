import FoundationEssentials

/// A decoded input document, ready for the processors.
public struct Document: Sendable {
    /// The outbox result id, `<stem>.<sha8>`: stable for the same name and content.
    public var id: String
    public var source: SourceFile
    /// The decoded text, exactly as in the file (no cleaning).
    public var text: String
    public var encoding: TextEncoding
    public var format: DocumentFormat
    public var arrivedAt: Date
    /// Position in the arrival order (dense, starting at 0 for each daemon run).
    public var sequence: UInt64

    public init(
        id: String, source: SourceFile, text: String, encoding: TextEncoding,
        format: DocumentFormat, arrivedAt: Date, sequence: UInt64
    ) {
        self.id = id
        self.source = source
        self.text = text
        self.encoding = encoding
        self.format = format
        self.arrivedAt = arrivedAt
        self.sequence = sequence
    }

    /// A document made from text alone (tests, evaluation commands, submitted bodies).
    public static func fromText(
        _ text: String, name: String = "inline.txt", format: DocumentFormat? = nil, sequence: UInt64 = 0
    ) -> Document {
        let bytes = Array(text.utf8)
        let sha = SHA256.hex(of: bytes)
        let source = SourceFile(path: name, relativePath: name, size: Int64(bytes.count), modified: Date(), sha256: sha)
        return Document(
            id: ResultNaming.resultID(relativePath: name, sha256: sha), source: source, text: text,
            encoding: .utf8, format: format ?? DocumentFormat.detect(name: name, text: text),
            arrivedAt: Date(), sequence: sequence
        )
    }
}

/// Where a document came from.
public struct SourceFile: Sendable, Codable, Hashable {
    /// Path as given or as found under the watch folder (for display and the journal).
    public var path: String
    /// Path relative to the watch folder (the file name when not recursive).
    public var relativePath: String
    public var size: Int64
    public var modified: Date
    public var sha256: String

    public init(path: String, relativePath: String, size: Int64, modified: Date, sha256: String) {
        self.path = path
        self.relativePath = relativePath
        self.size = size
        self.modified = modified
        self.sha256 = sha256
    }
}

/// How the bytes were decoded.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    /// Fallback when the bytes are not valid UTF-8: every byte maps to a character, so it never
    /// fails, but the result is flagged so a person can check it.
    case latin1 = "latin-1"
}

/// The markup the text is in, which decides how clean text is extracted.
public enum DocumentFormat: String, Sendable, Codable {
    case plain
    case markdown
    case html

    /// Detects the format from the file extension, then from the content.
    public static func detect(name: String, text: String) -> DocumentFormat {
        let lower = name.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return .html }
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") { return .markdown }
        let head = text.utf8.prefix(512)
        let start = String(decoding: head, as: UTF8.self)
            .drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).lowercased()
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") || start.hasPrefix("<?xml") && start.contains("<html") {
            return .html
        }
        return .plain
    }
}
