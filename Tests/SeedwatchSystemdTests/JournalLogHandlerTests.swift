import Glibc
import Logging
import Testing
@testable import SeedwatchSystemd

@Suite("JournalLogHandler fields")
struct JournalLogHandlerTests {
    @Test("metadata keys become journal field names journald accepts", arguments: [
        ("document.path", "DOCUMENT_PATH"),
        ("document.sha256", "DOCUMENT_SHA256"),
        ("processor", "PROCESSOR"),
        ("retry-count", "RETRY_COUNT"),
        ("Mixed.Case", "MIXED_CASE"),
        ("_private", "PRIVATE"),
        ("__double", "DOUBLE"),
        ("9lives", "F9LIVES"),
        ("_9lives", "F9LIVES"),
        ("café.name", "CAF__NAME"),
        ("a b", "A_B"),
    ])
    func fieldNames(key: String, field: String) {
        #expect(JournalLogHandler.fieldName(key) == field)
    }

    @Test("names are cut to 64 characters")
    func longNames() throws {
        let name = try #require(JournalLogHandler.fieldName(String(repeating: "abc.", count: 40)))
        #expect(name.count == 64)
        #expect(name.hasPrefix("ABC_ABC_"))
        let digits = try #require(JournalLogHandler.fieldName(String(repeating: "7", count: 80)))
        #expect(digits.count == 64)
        #expect(digits.hasPrefix("F7"))
    }

    @Test("keys with nothing usable are dropped", arguments: ["", "_", "___", "...", "-", "é", "日本", "🎉"])
    func unusable(key: String) {
        #expect(JournalLogHandler.fieldName(key) == nil)
    }

    @Test("every produced name is [A-Z0-9_], 1 to 64 long, starting with a letter", arguments: [
        "x", "document.id", "a-", "0", "_0_", "über", "a\u{0}b", String(repeating: "_", count: 70) + "z",
    ])
    func shape(key: String) throws {
        // Every key here has something usable: no name is a failure, never a skipped check.
        let name = try #require(JournalLogHandler.fieldName(key))
        #expect((1...64).contains(name.count))
        #expect(name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        #expect(name.unicodeScalars.first.map { ("A"..."Z").contains($0) } == true)
    }

    @Test("levels map to syslog priorities")
    func priorities() {
        let expected: [(Logger.Level, Int)] = [
            (.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
        for (level, priority) in expected { #expect(JournalLogHandler.priority(level) == priority) }
    }

    @Test("metadata values render as text")
    func rendering() {
        #expect(JournalLogHandler.render(.string("a b")) == "a b")
        #expect(JournalLogHandler.render(.stringConvertible(42)) == "42")
        #expect(JournalLogHandler.render(.array([.string("a"), .stringConvertible(1)])) == "a,1")
        #expect(JournalLogHandler.render(.dictionary(["b": .string("2"), "a": .string("1")])) == "a=1,b=2")
    }

    @Test("handler metadata is kept per handler value")
    func handlerMetadata() {
        var handler = JournalLogHandler(label: "t")
        handler[metadataKey: "document.path"] = "/w/a.txt"
        #expect(handler[metadataKey: "document.path"] == .string("/w/a.txt"))
        #expect(handler.identifier == "seedwatch")
    }
}

/// `JOURNAL_STREAM` is process-wide: these tests run one at a time and restore it.
@Suite("JournalLogHandler environment", .serialized)
struct JournalEnvironmentTests {
    @Test("stderr counts as the journal only when JOURNAL_STREAM names stderr's device and inode")
    func stderrJournal() async throws {
        var info = stat()
        try #require(fstat(2, &info) == 0)
        let matching = "\(info.st_dev):\(info.st_ino)"
        await withEnvironment(["JOURNAL_STREAM": matching]) {
            #expect(JournalLogHandler.isStderrJournal)
        }
        await withEnvironment(["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino &+ 1)"]) {
            #expect(!JournalLogHandler.isStderrJournal)
        }
        await withEnvironment(["JOURNAL_STREAM": "garbage"]) {
            #expect(!JournalLogHandler.isStderrJournal)
        }
        await withEnvironment(["JOURNAL_STREAM": nil]) {
            #expect(!JournalLogHandler.isStderrJournal)
        }
    }
}
