import Foundation
import Logging
import SeedwatchTestSupport
import Testing
@testable import SeedwatchSystemd

/// Logs through the handler into a real journald and reads the entry back with journalctl.
@Suite("JournalLogHandler with a real journald", .serialized)
struct JournalRoundTripTests {
    /// A journal field value: journalctl prints text as a string, and bytes it deems unprintable
    /// as an array of numbers.
    private func text(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        if let bytes = value as? [Int] { return String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self) }
        return nil
    }

    @Test("an entry carries the message, priority, identifier, document fields and code location")
    func roundTrip() async throws {
        try await Journald.ensureRunning()
        #expect(JournalLogHandler.isJournalAvailable)

        let marker = UUID().uuidString
        var handler = JournalLogHandler(label: "seedwatch.tests")
        handler.logLevel = .debug
        handler[metadataKey: "processor"] = "stats"
        let logger = Logger(label: "seedwatch.tests") { _ in handler }
        let line = #line + 1
        logger.warning("journal round trip \(marker)\nsecond line", metadata: [
            "document.path": "/srv/seeds/a b.txt", "document.sha256": "abc123", "test.marker": .string(marker),
        ])

        let found = try await followJournal(match: "TEST_MARKER=\(marker)", within: .seconds(15))
        let entry = try #require(found, "the entry did not reach the journal")
        #expect(text(entry["MESSAGE"]) == "journal round trip \(marker)\nsecond line")
        #expect(text(entry["PRIORITY"]) == "4")
        #expect(text(entry["SYSLOG_IDENTIFIER"]) == "seedwatch")
        #expect(text(entry["DOCUMENT_PATH"]) == "/srv/seeds/a b.txt")
        #expect(text(entry["DOCUMENT_SHA256"]) == "abc123")
        #expect(text(entry["PROCESSOR"]) == "stats")
        #expect(text(entry["CODE_FILE"])?.hasSuffix("JournalRoundTripTests.swift") == true)
        #expect(text(entry["CODE_LINE"]) == String(line))
        #expect(text(entry["CODE_FUNC"])?.hasPrefix("roundTrip") == true)
        #expect(text(entry["SEEDWATCH_LOGGER"]) == "seedwatch.tests")
        #expect(text(entry["_PID"]) == String(getpid()))
    }

    @Test("metadata cannot replace or double the entry's own fields")
    func reservedFields() async throws {
        try await Journald.ensureRunning()
        let marker = UUID().uuidString
        let logger = Logger(label: "seedwatch.tests") { _ in JournalLogHandler(label: "seedwatch.tests") }
        logger.error("the real message", metadata: [
            "test.marker": .string(marker), "message": "from metadata", "priority": "7", "syslog.identifier": "other",
        ])
        let entry = try #require(try await followJournal(match: "TEST_MARKER=\(marker)", within: .seconds(15)))
        #expect(text(entry["MESSAGE"]) == "the real message")
        #expect(text(entry["PRIORITY"]) == "3")
        #expect(text(entry["SYSLOG_IDENTIFIER"]) == "seedwatch")
        #expect(text(entry["META_MESSAGE"]) == "from metadata")
        #expect(text(entry["META_PRIORITY"]) == "7")
        #expect(text(entry["META_SYSLOG_IDENTIFIER"]) == "other")
    }

    @Test("levels below the handler's level are not sent")
    func levelFilter() async throws {
        try await Journald.ensureRunning()
        let marker = UUID().uuidString
        var handler = JournalLogHandler(label: "seedwatch.tests")
        handler.logLevel = .info
        let logger = Logger(label: "seedwatch.tests") { _ in handler }
        logger.debug("filtered", metadata: ["test.marker": .string(marker), "kind": "debug"])
        logger.info("kept", metadata: ["test.marker": .string(marker), "kind": "info"])
        // The journal is ordered: the first entry with the marker is the info one.
        let entry = try #require(try await followJournal(match: "TEST_MARKER=\(marker)", within: .seconds(15)))
        #expect(text(entry["KIND"]) == "info")
        #expect(text(entry["PRIORITY"]) == "6")
    }
}
