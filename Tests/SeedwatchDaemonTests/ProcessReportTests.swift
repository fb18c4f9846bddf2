import SeedwatchCore
import Testing
@testable import SeedwatchCommandLine

/// The pieces of `seedwatch process`'s output for people, on records and figures built here.
@Suite("process report and progress text")
struct ProcessReportTests {
    static func record(results: [String: JSONValue], errors: [String: JSONValue] = [:], warnings: [String] = []) -> JSONValue {
        .object([
            "status": .string("processed"), "format": .string("plain"), "encoding": .string("utf-8"),
            "source": .object(["size": .integer(42)]), "warnings": .array(warnings.map(JSONValue.string)),
            "results": .object(results), "errors": .object(errors),
        ])
    }

    @Test("a failed processor and a decoding warning are listed; results the report cannot show are named")
    func warningsAndOthers() {
        let text = ReadableReport.render(
            Self.record(
                results: ["stats": .object(["words": .integer(130), "sentences": .integer(8), "reading_time_seconds": .integer(95)]),
                          "wordcount": .object(["n": .integer(3)])],
                errors: ["summary": .object(["code": .string("timeout"), "message": .string("took longer than 10000 ms")])],
                warnings: ["decoded_as_latin1: the bytes are not valid UTF-8; read as Latin-1"]
            ),
            shown: "a.txt"
        )
        #expect(text.hasPrefix("a.txt (42 bytes, plain, utf-8)\n"))
        #expect(text.contains("  length:      130 words, 8 sentences, 2 min to read"), "\(text)")
        #expect(text.contains("  warnings:    decoded_as_latin1"), "\(text)")
        #expect(text.contains("summary failed (timeout): took longer than 10000 ms"), "\(text)")
        #expect(text.contains("  also:        wordcount (see --json)"), "\(text)")
        #expect(!text.contains("summary:"), "no summary result, no summary field")
    }

    @Test("entities are grouped by type in a fixed order with their aliases; past eight a count; unknown types last")
    func entityGroups() {
        func entity(_ name: String, _ type: String, aliases: [String] = []) -> JSONValue {
            .object(["name": .string(name), "type": .string(type), "aliases": .array(aliases.map(JSONValue.string))])
        }
        let places = (1...10).map { entity("P\($0)", "LOCATION") }
        let entities = [entity("Elena Brandt", "PERSON", aliases: ["Brandt", "Mayor Brandt"]), entity("ACME", "ORGANIZATION"), entity("Thing", "GADGET")] + places
        let text = ReadableReport.render(Self.record(results: ["entities": .object(["entities": .array(entities)])]), shown: "a.txt")
        let lines = text.split(separator: "\n").map(String.init)
        let headings = lines.compactMap { line in ["people:", "organisations:", "places:", "gadget:"].first { line.hasPrefix("    " + $0) } }
        #expect(headings == ["people:", "organisations:", "places:", "gadget:"], "\(text)")
        #expect(text.contains("Elena Brandt (also Brandt, Mayor Brandt)"))
        #expect(text.contains("P8; and 2 more"), "\(text)")
        #expect(!text.contains("P9"))
    }

    @Test("a duplicate says what it duplicates; topics show near-duplicates and each alert")
    func duplicateAndTopic() {
        let duplicate = JSONValue.object(["status": .string("duplicate"), "duplicate_of": .string("a.txt.1234abcd"), "source": .object(["size": .integer(9)])])
        #expect(ReadableReport.render(duplicate, shown: "b.txt").contains("  duplicate of a.txt.1234abcd: not processed again"))
        let topics = JSONValue.object([
            "topic": .string("topic-3"), "label": .string("tram harbour"), "near_duplicate_of": .string("x.txt.00000000"),
            "alerts": .array([.object(["class": .string("topic_shift"), "topic_id": .string("theme-2"), "topic_label": .string("weather"),
                                       "previous_topic_id": .string("theme-1")])]),
        ])
        let text = ReadableReport.render(Self.record(results: ["topics": topics]), shown: "c.txt")
        #expect(text.contains("  topic:       topic-3: tram harbour (near-duplicate of x.txt.00000000)"), "\(text)")
        #expect(text.contains("  alerts:      topic_shift, theme-2: weather (was theme-1)"), "\(text)")
    }

    @Test("lines wrap under their field; control and bidi-override characters become U+FFFD")
    func wrapping() {
        let long = Array(repeating: "word", count: 60).joined(separator: " ")
        let lines = ReadableReport.field("title", [long])
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= ReadableReport.width })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 15) + "word") })
        #expect(ReadableReport.printable("a\u{1B}[2Jb\u{202E}c\u{9B}d") == "a\u{FFFD}[2Jb\u{FFFD}c\u{FFFD}d")
    }

    @Test("progress text: done/total, the rate, the time left; nothing to estimate before the first file")
    func progressText() {
        #expect(ProgressLine.text(done: 0, total: 40, elapsed: .seconds(1)) == "0/40 done")
        #expect(ProgressLine.text(done: 10, total: 40, elapsed: .seconds(4)) == "10/40 done, 2.5 files/s, about 12 s left")
        #expect(ProgressLine.text(done: 400, total: 1000, elapsed: .seconds(10)) == "400/1000 done, 40 files/s, about 15 s left")
        #expect(ProgressLine.text(done: 40, total: 40, elapsed: .seconds(16)) == "40/40 done, 2.5 files/s")
        #expect(ProgressLine.duration(65) == "1 min 05 s")
        #expect(ProgressLine.duration(7_800) == "2 h 10 min")
        #expect(!ProgressLine(total: 5, terminal: false).enabled, "silent when stderr is not a terminal")
        #expect(!ProgressLine(total: 1, terminal: true).enabled, "silent for one file")
        #expect(ProgressLine(total: 2, terminal: true).enabled)
    }
}
