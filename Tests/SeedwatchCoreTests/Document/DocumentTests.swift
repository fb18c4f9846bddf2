import Testing
@testable import SeedwatchCore

@Suite("DocumentFormat.detect")
struct DocumentFormatTests {
    @Test("by extension, case-insensitively", arguments: [
        ("page.html", DocumentFormat.html), ("PAGE.HTM", .html), ("doc.xhtml", .html),
        ("notes.md", .markdown), ("Notes.Markdown", .markdown),
        ("notes.txt", .plain), ("notes", .plain),
    ])
    func byExtension(name: String, format: DocumentFormat) {
        #expect(DocumentFormat.detect(name: name, text: "just words") == format)
    }

    @Test("HTML by content when the extension says nothing", arguments: [
        "<!DOCTYPE html><html><body>x</body></html>",
        "  \n\t<html lang=\"en\">",
        "\u{FEFF}<!doctype HTML>",
        "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
    ])
    func htmlByContent(text: String) {
        #expect(DocumentFormat.detect(name: "page.txt", text: text) == .html)
    }

    @Test("other content stays plain", arguments: [
        "<?xml version=\"1.0\"?><note>hi</note>",
        "# A heading\n\n* a list",
        "An <html> tag mentioned in prose.",
        "",
    ])
    func plainByContent(text: String) {
        #expect(DocumentFormat.detect(name: "note.txt", text: text) == .plain)
    }

    @Test("the extension wins over the content")
    func extensionWins() {
        #expect(DocumentFormat.detect(name: "page.md", text: "<!DOCTYPE html>") == .markdown)
    }
}

@Suite("Document")
struct DocumentTests {
    @Test("fromText hashes the UTF-8 bytes and names the result after the name")
    func fromText() {
        let document = Document.fromText("héllo", name: "dir/page.html", sequence: 7)
        #expect(document.source.sha256 == SHA256.hex(of: Array("héllo".utf8)))
        #expect(document.source.size == 6)
        #expect(document.id == ResultNaming.resultID(relativePath: "dir/page.html", sha256: document.source.sha256))
        #expect(document.format == .html)
        #expect(document.encoding == .utf8)
        #expect(document.sequence == 7)
    }
}
