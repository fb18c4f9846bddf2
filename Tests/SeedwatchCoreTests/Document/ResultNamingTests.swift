import Testing
@testable import SeedwatchCore

@Suite("ResultNaming")
struct ResultNamingTests {
    private let sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    @Test("the id is the escaped relative path plus the first 8 hex digits of the hash", arguments: [
        ("report.txt", "report.txt.01234567"),
        ("archive.tar.gz", "archive.tar.gz.01234567"),
        ("README", "README.01234567"),
        ("notes/2024/report.md", "notes%2F2024%2Freport.md.01234567"),
        ("sub/.profile", "sub%2F.profile.01234567"),
        (".profile", "%2Eprofile.01234567"),
        ("100%.txt", "100%25.txt.01234567"),
    ])
    func stems(relativePath: String, id: String) {
        #expect(ResultNaming.resultID(relativePath: relativePath, sha256: sha) == id)
    }

    @Test("sources that differ only in extension, or in '/' versus its escape, get different result ids")
    func distinctSourcesDistinctIDs() {
        #expect(ResultNaming.resultID(relativePath: "notes.txt", sha256: sha) != ResultNaming.resultID(relativePath: "notes.md", sha256: sha))
        #expect(ResultNaming.resultID(relativePath: "a/b.txt", sha256: sha) != ResultNaming.resultID(relativePath: "a__b.txt", sha256: sha))
        #expect(ResultNaming.resultID(relativePath: "a/b.txt", sha256: sha) != ResultNaming.resultID(relativePath: "a%2Fb.txt", sha256: sha))
    }

    @Test("two names that differ only in Unicode normalisation get ids that differ as Swift strings, not only in bytes")
    func normalisationForms() {
        let composed = "caf\u{E9}.txt"  // NFC: bytes caf\xc3\xa9.txt
        let decomposed = "cafe\u{301}.txt"  // NFD: bytes cafe\xcc\x81.txt
        #expect(composed == decomposed, "Swift compares the two names as equal: the reason for the hash")
        let nfc = ResultNaming.resultID(relativePath: composed, sha256: sha)
        let nfd = ResultNaming.resultID(relativePath: decomposed, sha256: sha)
        #expect(nfc == "caf\u{E9}.txt.01234567", "a name in NFC keeps its id")
        #expect(nfd != nfc)
        #expect(nfd.hasPrefix("cafe\u{301}.txt~"))
        #expect(ResultNaming.quarantineName(relativePath: decomposed) != ResultNaming.quarantineName(relativePath: composed))
        // Hangul: a precomposed syllable, and the same as a sequence of jamo.
        #expect(ResultNaming.safeName("\u{D55C}") != ResultNaming.safeName("\u{1112}\u{1161}\u{11AB}"))
        // A singleton NFC replaces: the Angstrom sign and the letter Å.
        #expect(ResultNaming.safeName("\u{212B}") != ResultNaming.safeName("\u{C5}"))
        #expect(ResultNaming.safeName("\u{C5}") == "\u{C5}")
    }

    @Test("the quarantine name keeps the extension and escapes folders")
    func quarantineName() {
        #expect(ResultNaming.quarantineName(relativePath: "in/box/photo.jpg") == "in%2Fbox%2Fphoto.jpg.error.json")
    }

    @Test("control characters and DEL are escaped")
    func controlCharacters() {
        #expect(ResultNaming.safeName("a\tb\nc\u{1B}d\u{7F}e") == "a%09b%0Ac%1Bd%7Fe")
    }

    @Test("bidirectional overrides and marks cannot disguise the name")
    func bidiControls() {
        let id = ResultNaming.resultID(relativePath: "invoice\u{202E}fdp.exe", sha256: sha)
        #expect(id == "invoice%E2%80%AEfdp.exe.01234567")
        let bidi: [Unicode.Scalar] = ["\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
                                      "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"]
        let name = ResultNaming.safeName(String(String.UnicodeScalarView(bidi)) + "x")
        #expect(!name.unicodeScalars.contains { bidi.contains($0) })
        #expect(name.hasSuffix("x"))
    }

    @Test("an empty name is not hidden")
    func emptyName() {
        #expect(ResultNaming.safeName("") == "%00")
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
        #expect(id != ResultNaming.resultID(relativePath: stem + "2.txt", sha256: sha), "long names stay distinct")
        let resultFile = id + ".json"
        let quarantineFile = ResultNaming.quarantineName(relativePath: stem + ".txt")
        #expect(resultFile.utf8.count <= 255)
        #expect(quarantineFile.utf8.count <= 255)
        #expect(id.hasSuffix(".01234567"))
        let kept = String(id.dropLast(".01234567".count))
        #expect(kept.utf8.count >= 170, "only the overflow is cut: kept \(kept.utf8.count) bytes")
        let tilde = try #require(kept.lastIndex(of: "~"))
        let expectedStart = stem.replacingOccurrences(of: "/", with: "%2F")
        #expect(expectedStart.hasPrefix(kept[..<tilde]))
        #expect(!id.hasPrefix("."))
        #expect(!quarantineFile.hasPrefix("."))
    }
}
