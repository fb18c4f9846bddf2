import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchIngest

@Suite("DirectoryScanner")
struct DirectoryScannerTests {
    private let ignore = IgnorePatterns(DaemonConfigKeys.defaultIgnore)

    @Test("files with one mtime in name order, temporary names left out, sub-folders listed but not entered")
    func flat() async throws {
        try await withTemporaryDirectory { root in
            for name in ["c.txt", "a.txt", "B.txt", "b.txt", ".hidden", "x.part", "y.tmp", "z~"] {
                try writeFile(root + "/" + name, name)
            }
            try makeDirectory(root + "/sub")
            try writeFile(root + "/sub/inner.txt", "inner")
            try makeFIFO(root + "/pipe")
            try makeSymlink(root + "/link", to: "sub")
            for name in ["c.txt", "a.txt", "B.txt", "b.txt", "link", "pipe"] { try setModified(root + "/" + name, seconds: 1_700_000_000) }
            let result = try DirectoryScanner(root: root, recursive: false, ignore: ignore).scan()
            #expect(result.files == ["B.txt", "a.txt", "b.txt", "c.txt", "link", "pipe"])
            #expect(result.directories == ["sub"])
            #expect(result.badNames == [])
        }
    }

    @Test("recursive: every level, by path when mtimes are equal, never through a link")
    func recursive() async throws {
        try await withTemporaryDirectory { root in
            try makeDirectory(root + "/b")
            try makeDirectory(root + "/b/c")
            try makeDirectory(root + "/.git")
            try writeFile(root + "/.git/config", "ignored folder")
            try writeFile(root + "/a.txt", "1")
            try writeFile(root + "/b/x.txt", "2")
            try writeFile(root + "/b/c/y.txt", "3")
            try writeFile(root + "/b/c/y.txt.part", "4")
            try writeFile(root + "/z.txt", "5")
            try makeSymlink(root + "/b/loop", to: "..")
            for path in ["a.txt", "b/x.txt", "b/c/y.txt", "z.txt", "b/loop"] { try setModified(root + "/" + path, seconds: 1_700_000_000) }
            let result = try DirectoryScanner(root: root, recursive: true, ignore: ignore).scan()
            #expect(result.files == ["a.txt", "b/c/y.txt", "b/loop", "b/x.txt", "z.txt"])
            #expect(result.directories == ["b", "b/c"])
        }
    }

    @Test("files are listed oldest mtime first, then by name, across folders")
    func mtimeOrder() async throws {
        try await withTemporaryDirectory { root in
            try makeDirectory(root + "/sub")
            // Written in an order that is neither of the two.
            let files = [("b.txt", 300), ("sub/a.txt", 100), ("c.txt", 100), ("a.txt", 200), ("d.txt", 100)]
            for (path, seconds) in files {
                try writeFile(root + "/" + path, path)
                try setModified(root + "/" + path, seconds: 1_700_000_000 + seconds)
            }
            let result = try DirectoryScanner(root: root, recursive: true, ignore: ignore).scan()
            #expect(result.files == ["c.txt", "d.txt", "sub/a.txt", "a.txt", "b.txt"])
            #expect(result.scanned.map(\.modifiedNanoseconds) == [100, 100, 100, 200, 300].map { Int64(1_700_000_000 + $0) * 1_000_000_000 })
        }
    }

    @Test("two names that differ only in Unicode normalisation are two files, each listed")
    func normalisationForms() async throws {
        try await withTemporaryDirectory { root in
            try makeFile(in: root, rawName: Array("caf\u{E9}.txt".utf8))
            try makeFile(in: root, rawName: Array("cafe\u{301}.txt".utf8))
            let result = try DirectoryScanner(root: root, recursive: false, ignore: ignore).scan()
            #expect(result.files.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                == [Array("caf\u{E9}.txt".utf8), Array("cafe\u{301}.txt".utf8)].sorted { $0.lexicographicallyPrecedes($1) })
        }
    }

    @Test("a scan can start below the root")
    func below() async throws {
        try await withTemporaryDirectory { root in
            try makeDirectory(root + "/new")
            try writeFile(root + "/new/a.txt", "1")
            try writeFile(root + "/top.txt", "2")
            let result = try DirectoryScanner(root: root, recursive: true, ignore: ignore).scan(below: "new")
            #expect(result.files == ["new/a.txt"])
        }
    }

    @Test("a name that is not UTF-8 is listed apart, escaped")
    func badNames() async throws {
        try await withTemporaryDirectory { root in
            try makeFile(in: root, rawName: [0x62, 0xFF, 0x2E, 0x74, 0x78, 0x74])
            try writeFile(root + "/good.txt", "ok")
            let result = try DirectoryScanner(root: root, recursive: false, ignore: ignore).scan()
            #expect(result.files == ["good.txt"])
            #expect(result.badNames == ["b%FF.txt"])
        }
    }

    @Test("a missing root is an error naming it")
    func missingRoot() async throws {
        try await withTemporaryDirectory { folder in
            let missing = folder + "/absent"
            #expect(throws: SystemError(operation: "opendir", path: missing, code: ENOENT)) {
                try DirectoryScanner(root: missing, recursive: false, ignore: ignore).scan()
            }
        }
    }

    @Test("escaped keeps valid characters and writes bad bytes as %XX", arguments: [
        ([0x61, 0xC3, 0xA9, 0x62] as [UInt8], "aéb"),
        ([0xFF, 0xFE] as [UInt8], "%FF%FE"),
        ([0xC3, 0x28] as [UInt8], "%C3("),  // a lead byte without its continuation
        ([0xF0, 0x9F, 0x8E, 0x89, 0x80] as [UInt8], "🎉%80"),
    ])
    func escaped(bytes: [UInt8], expected: String) {
        #expect(DirectoryScanner.escaped(bytes) == expected)
    }
}

@Suite("IgnorePatterns")
struct IgnorePatternsTests {
    private let ignore = IgnorePatterns(DaemonConfigKeys.defaultIgnore)

    @Test("the default patterns", arguments: [
        (".hidden", true), ("a.part", true), ("a.tmp", true), (".a.swp", true), ("a.txt~", true),
        ("a.filepart", true), ("a.crdownload", true),
        ("a.txt", false), ("part", false), ("a.parts", false), ("tmp.txt", false), ("~a.txt", false),
    ])
    func names(name: String, ignored: Bool) {
        #expect(ignore.ignores(name: name) == ignored)
    }

    @Test("a path is ignored when any of its components is")
    func paths() {
        #expect(ignore.ignores(relativePath: ".git/config"))
        #expect(ignore.ignores(relativePath: "a/b.part/c.txt"))
        #expect(!ignore.ignores(relativePath: "a/b/c.txt"))
    }
}
