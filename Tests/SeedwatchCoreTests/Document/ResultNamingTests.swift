import Testing
@testable import SeedwatchCore

@Suite("ResultNaming")
struct ResultNamingTests {
    private let sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    @Test("the id is the stem plus the first 8 hex digits of the hash", arguments: [
        ("report.txt", "report.01234567"),
        ("archive.tar.gz", "archive.tar.01234567"),
        ("README", "README.01234567"),
        ("notes/2024/report.md", "notes__2024__report.01234567"),
        ("v1.2/readme", "v1.2__readme.01234567"),
        ("sub/.profile", "sub__.profile.01234567"),
        (".profile", "_.profile.01234567"),
    ])
    func stems(relativePath: String, id: String) {
        #expect(ResultNaming.resultID(relativePath: relativePath, sha256: sha) == id)
    }

    @Test("sources that differ only in extension or in '/' versus '__' get different result ids")
    func distinctSourcesDistinctIDs() {
        // Known issue, reported to the lead: the id drops the extension and maps '/' to '__', so
        // `notes.txt` and `notes.md` with the same content share `notes.<sha8>`, and the
        // daemon's duplicate record for the second overwrites the first's result. Fixing it
        // changes the documented id format, so it is left to the lead.
        withKnownIssue("result ids collide for same-content sources that differ only in extension") {
            #expect(ResultNaming.resultID(relativePath: "notes.txt", sha256: sha) != ResultNaming.resultID(relativePath: "notes.md", sha256: sha))
        }
        withKnownIssue("'/' and '__' map to the same id") {
            #expect(ResultNaming.resultID(relativePath: "a/b.txt", sha256: sha) != ResultNaming.resultID(relativePath: "a__b.txt", sha256: sha))
        }
    }

    @Test("the quarantine name keeps the extension and flattens folders")
    func quarantineName() {
        #expect(ResultNaming.quarantineName(relativePath: "in/box/photo.jpg") == "in__box__photo.jpg.error.json")
    }

    @Test("control characters and DEL become underscores")
    func controlCharacters() {
        #expect(ResultNaming.safeName("a\tb\nc\u{1B}d\u{7F}e") == "a_b_c_d_e")
    }

    @Test("bidirectional overrides and marks cannot disguise the name")
    func bidiControls() {
        let id = ResultNaming.resultID(relativePath: "invoice\u{202E}fdp.exe", sha256: sha)
        #expect(id == "invoice_fdp.01234567")
        let bidi: [Unicode.Scalar] = ["\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
                                      "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"]
        let name = ResultNaming.safeName(String(String.UnicodeScalarView(bidi)) + "x")
        #expect(name == String(repeating: "_", count: bidi.count) + "x")
    }

    @Test("a replacement character (from a name that was not UTF-8) becomes %")
    func replacementCharacter() {
        #expect(ResultNaming.safeName("bad\u{FFFD}name") == "bad%name")
    }

    @Test("an empty name is not hidden")
    func emptyName() {
        #expect(ResultNaming.safeName("") == "_")
    }

    @Test("very long names stay under 255 bytes with the suffix, as valid text with their start kept", arguments: [
        String(repeating: "a", count: 400),
        String(repeating: "é", count: 300),  // 2-byte characters
        String(repeating: "日本語", count: 100),  // 3-byte characters
        String(repeating: "🎉", count: 100),  // 4-byte characters
        "x" + String(repeating: "é", count: 300),  // the cut falls inside a character
        String(repeating: "d/", count: 150) + "file",
    ])
    func longNames(stem: String) throws {
        let id = ResultNaming.resultID(relativePath: stem + ".txt", sha256: sha)
        let resultFile = id + ".json"
        let quarantineFile = ResultNaming.quarantineName(relativePath: stem + ".txt")
        #expect(resultFile.utf8.count <= 255)
        #expect(quarantineFile.utf8.count <= 255)
        #expect(id.hasSuffix(".01234567"))
        let kept = String(id.dropLast(".01234567".count))
        #expect(kept.utf8.count >= 190, "only the overflow is cut: kept \(kept.utf8.count) bytes")
        let expectedStart = stem.replacingOccurrences(of: "/", with: "__")
        #expect(expectedStart.hasPrefix(kept))
        #expect(!id.hasPrefix("."))
        #expect(!quarantineFile.hasPrefix("."))
    }
}
