import Foundation
import SeedwatchTestSupport
import Testing

/// `seedwatch process` for people and scripts: the readable report, folders, standard input,
/// the exit status, the progress line on a terminal, and `--json` left exactly the outbox schema.
@Suite("process command", .timeLimit(.minutes(TestTime.minutes(3))))
struct ProcessCommandTests {
    static var samples: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: DaemonHarness.samples)) ?? []).sorted().map { DaemonHarness.samples + "/" + $0 }
    }

    /// A temporary folder, removed by the caller.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "seedwatch-process-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("the report shows title, summary, entities by type, topic and alerts for each file, and no JSON")
    func readableReport() async throws {
        let result = try await CommandRun.run(["process"] + Self.samples)
        #expect(result.status == 0, "\(result.err)")
        let reports = result.out.components(separatedBy: "\n").filter { $0.hasPrefix(DaemonHarness.samples) }
        #expect(reports.count == Self.samples.count, "\(result.out)")
        for field in ["  title:", "  summary:", "  entities:", "  topic:", "  alerts:", "  length:", "• "] {
            #expect(result.out.contains(field), "missing \(field) in\n\(result.out)")
        }
        #expect(result.out.contains("new_topic"), "\(result.out)")
        // Entities are grouped under words a person reads, never the raw tag names.
        #expect(["people:", "places:", "organisations:"].contains { result.out.contains($0) }, "\(result.out)")
        #expect(!result.out.contains("\"schema\""))
        #expect(!result.out.contains("{\""))
        #expect(result.out.split(separator: "\n").allSatisfy { $0.count <= 160 || !$0.contains(" ") })
        #expect(result.err.isEmpty, "stderr is a pipe: no progress line expected, got \(result.err)")
    }

    @Test("a Latin-1 file shows a warning; control characters in a document never reach the terminal")
    func warnings() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/latin.txt"
        // "é" as the one Latin-1 byte 0xE9: not valid UTF-8. An escape sequence and a bell in the title.
        let bytes = Array("Caf".utf8) + [0xE9] + Array(" owners in Lyon \u{1B}[31mcomplain\u{7}\n\nThe council meets on Monday.".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try await CommandRun.run(["process", path])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("  warnings:"), "\(result.out)")
        #expect(result.out.contains("decoded_as_latin1"), "\(result.out)")
        #expect(result.out.contains("Café owners"), "\(result.out)")
        #expect(!result.out.contains("\u{1B}"), "an escape sequence reached the terminal: \(result.out.debugDescription)")
        #expect(!result.out.contains("\u{7}"))
    }

    @Test("a folder is walked: sub-folders in, ingest.ignore names out; --json gives the same record as the file alone")
    func folderWalk() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.write("A harbour tram line reopens after repairs to the bridge.", to: folder + "/a.txt")
        try Self.write("# Glaciers\n\nThe survey measured the glacier's retreat.", to: folder + "/sub/b.md")
        try Self.write("hidden", to: folder + "/.hidden.txt")
        try Self.write("partial", to: folder + "/c.txt.part")
        try Self.write("skipped by --set", to: folder + "/d.log")
        try Self.write("inside an ignored folder", to: folder + "/.git/e.txt")
        let result = try await CommandRun.run(["process", "--json", "--set", "ingest.ignore=.*,*.part,*.log", folder + "/"])
        #expect(result.status == 0, "\(result.err)")
        let records = try Self.lines(result.out)
        let paths = records.compactMap { ($0["source"] as? [String: Any])?["relative_path"] as? String }
        #expect(Set(paths) == ["a.txt", "sub/b.md"], "\(paths)")

        let alone = try await CommandRun.run(["process", "--json", folder + "/a.txt"])
        #expect(alone.status == 0)
        let fromWalk = try #require(records.first { ($0["source"] as? [String: Any])?["relative_path"] as? String == "a.txt" })
        let single = try #require(try Self.lines(alone.out).first)
        #expect(NSDictionary(dictionary: Self.withoutTiming(fromWalk)) == NSDictionary(dictionary: Self.withoutTiming(single)))
    }

    @Test("--json prints byte for byte what the daemon writes to its outbox (timings aside), a folder in the daemon's order")
    func jsonUnchanged() async throws {
        let daemon = try DaemonHarness()
        for sample in Self.samples {
            try FileManager.default.copyItem(atPath: sample, toPath: daemon.watch + "/" + (sample as NSString).lastPathComponent)
        }
        try daemon.start()
        try await daemon.waitReady()
        _ = try await within(20, "results") { [notify = daemon.notify, count = Self.samples.count] in
            await notify.first { $0.contains("processed \(count),") }
        }
        #expect(try await daemon.stop() == 0)
        let result = try await CommandRun.run(["process", "--json", daemon.watch])
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "every line ends with a newline")
        #expect(lines.count == Self.samples.count + 1)
        for line in lines.dropLast() {
            let id = try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String)
            let written = try String(contentsOfFile: daemon.outbox + "/" + id + ".json", encoding: .utf8)
            #expect(Self.maskingTiming(String(line) + "\n") == Self.maskingTiming(written), "\(id)")
        }
    }

    /// The record's text with `arrived_at`, `completed_at` and every `duration_ms` value replaced.
    static func maskingTiming(_ text: String) -> String {
        var text = text
        for pattern in [#""arrived_at":"[^"]*""#, #""completed_at":"[^"]*""#, #""duration_ms":[-0-9.eE+]+"#] {
            text = text.replacingOccurrences(of: pattern, with: "TIMING", options: .regularExpression)
        }
        return text
    }

    @Test("- reads standard input; its result shows - as its path")
    func standardInput() async throws {
        let text = "The harbour authority opened a new tram line on Monday. Riders in Oslo praised the service."
        let json = try await CommandRun.run(["process", "--json", "-"], input: Array(text.utf8))
        #expect(json.status == 0, "\(json.err)")
        let record = try #require(try Self.lines(json.out).first)
        let source = try #require(record["source"] as? [String: Any])
        #expect(source["path"] as? String == "-")
        #expect(source["relative_path"] as? String == "stdin")
        #expect(source["size"] as? Int == text.utf8.count)
        #expect((record["results"] as? [String: Any])?["summary"] != nil)

        let readable = try await CommandRun.run(["process", "-"], input: Array(text.utf8))
        #expect(readable.status == 0)
        #expect(readable.out.hasPrefix("- ("), "\(readable.out)")
        #expect(readable.out.contains("  summary:"))

        let twice = try await CommandRun.run(["process", "-", "-"], input: Array(text.utf8))
        #expect(twice.status == 1)
        #expect(twice.err.contains("only once"))
    }

    @Test("exit status: 0 all processed, 3 a file quarantined, 1 an argument unreadable, 64 no argument")
    func exitStatus() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = folder + "/good.txt"
        try Self.write("A short document about the harbour tram.", to: good)
        let binary = folder + "/binary.txt"
        try Data([0x41, 0x00, 0x42]).write(to: URL(fileURLWithPath: binary))
        let missing = folder + "/missing.txt"

        let allGood = try await CommandRun.run(["process", good])
        #expect(allGood.status == 0)
        let quarantined = try await CommandRun.run(["process", good, binary])
        #expect(quarantined.status == 3)
        #expect(quarantined.err.contains("binary.txt: binary: a NUL byte"), "\(quarantined.err)")
        #expect(quarantined.err.contains("convert it to plain text"), "the advice is missing: \(quarantined.err)")
        #expect(quarantined.out.contains("good.txt"), "the good file still gets its report")
        let jsonQuarantined = try await CommandRun.run(["process", "--json", good, binary])
        #expect(jsonQuarantined.status == 3)
        #expect(try Self.lines(jsonQuarantined.out).count == 1)
        let unreadable = try await CommandRun.run(["process", good, missing, binary])
        #expect(unreadable.status == 1)
        #expect(unreadable.err.contains("missing.txt: No such file or directory"), "\(unreadable.err)")
        let none = try await CommandRun.run(["process"])
        #expect(none.status == 64)
        let help = try await CommandRun.run(["process", "--help"])
        #expect(help.out.contains("Exit status"), "\(help.out)")
    }

    @Test("on a terminal, several files get a progress line on stderr: done/total, rate, time left; erased at the end")
    func progressOnTerminal() async throws {
        let result = try await CommandRun.run(["process", "--json"] + Self.samples, terminal: true)
        #expect(result.status == 0, "\(result.err)")
        let total = Self.samples.count
        #expect(result.err.contains("0/\(total) done"), "\(result.err.debugDescription)")
        #expect(result.err.contains("\(total)/\(total) done"), "\(result.err.debugDescription)")
        #expect(result.err.contains("files/s"), "\(result.err.debugDescription)")
        #expect(result.err.contains("left"), "\(result.err.debugDescription)")
        #expect(result.err.hasSuffix("\r\u{1B}[K"), "the line is erased at the end: \(result.err.debugDescription)")
        #expect(try Self.lines(result.out).count == total, "stdout keeps only the results")

        let single = try await CommandRun.run(["process", "--json", Self.samples[0]], terminal: true)
        #expect(single.status == 0)
        #expect(!single.err.contains("done"), "one file: no progress line, got \(single.err.debugDescription)")
    }

    /// The record less `arrived_at`, `completed_at` and each processor's `duration_ms`.
    static func withoutTiming(_ record: [String: Any]) -> [String: Any] {
        var record = record
        record["arrived_at"] = nil
        record["completed_at"] = nil
        if let processors = record["processors"] as? [String: [String: Any]] {
            record["processors"] = processors.mapValues { $0.filter { $0.key != "duration_ms" } }
        }
        return record
    }
}
