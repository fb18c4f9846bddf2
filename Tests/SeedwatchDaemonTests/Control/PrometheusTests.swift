import Foundation
import SeedwatchTestSupport
import Testing

/// `GET /metrics` of a real daemon checked by Prometheus's own `promtool`, and the example alert
/// rules in `packaging/prometheus/` checked and unit-tested by it. Skipped, visibly, where
/// promtool is missing (Debian package `prometheus`; `make deps` installs it, CI has it).
@Suite("Prometheus", .timeLimit(.minutes(TestTime.minutes(2))), .enabled(if: Promtool.path != nil, "needs promtool (Debian package prometheus)"))
struct PrometheusTests {
    static let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("packaging/prometheus").path

    @Test("promtool check metrics accepts GET /metrics; the process, build, alert, quarantine and latency families are there")
    func exposition() async throws {
        let daemon = try DaemonHarness()
        let samples = try FileManager.default.contentsOfDirectory(atPath: DaemonHarness.samples).sorted()
        for name in samples {
            try FileManager.default.copyItem(atPath: DaemonHarness.samples + "/" + name, toPath: daemon.watch + "/" + name)
        }
        try Data([0x41, 0x00, 0x42]).write(to: URL(fileURLWithPath: daemon.watch + "/binary.txt"))
        try daemon.start()
        try await daemon.waitReady()
        _ = try await within(20, "documents counted") { [notify = daemon.notify, count = samples.count] in
            await notify.first { $0.contains("processed \(count),") && $0.contains("quarantined 1") }
        }
        let metrics = try await HTTPClient.get("/metrics", socket: daemon.controlSocket)
        #expect(metrics.status == 200)
        let check = try await Promtool.run(["check", "metrics"], input: metrics.body)
        #expect(check.status == 0, "promtool check metrics:\n\(check.output)\n---\n\(metrics.body)")
        #expect(check.output.isEmpty, "promtool has complaints:\n\(check.output)")

        let values = Self.samples(metrics.body)
        for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"] {
            #expect(values[name] != nil, "missing \(name)")
        }
        #expect((values["process_resident_memory_bytes"] ?? 0) > 1_000_000)
        #expect((values["process_open_fds"] ?? 0) >= 3)
        let started = values["process_start_time_seconds"] ?? 0
        #expect(abs(started - Date().timeIntervalSince1970) < 600, "start time \(started)")
        #expect(values.keys.contains { $0.hasPrefix("seedwatch_build_info{") && $0.contains("version=\"") && $0.contains("swift=\"6.") })
        #expect((values[#"seedwatch_alerts_total{class="new_topic"}"#] ?? 0) >= 1)
        #expect(values[#"seedwatch_alerts_total{class="topic_shift"}"#] != nil, "every class from the first scrape on")
        #expect(values[#"seedwatch_quarantined_total{code="binary"}"#] == 1)
        #expect(values[#"seedwatch_quarantined_total{code="empty"}"#] == 0)
        #expect(values["seedwatch_result_write_duration_seconds_count"] == Double(samples.count))
        // One ledger entry per processed file and one for the quarantined one.
        #expect((values["seedwatch_ledger_write_duration_seconds_count"] ?? 0) >= Double(samples.count + 1))
        // The names that were there before stay: they are a contract.
        for name in [#"seedwatch_documents_total{outcome="processed"}"#, "seedwatch_queue_depth", "seedwatch_documents_in_flight",
                     "seedwatch_inotify_overflows_total", #"seedwatch_processor_duration_seconds_count{processor="summary"}"#] {
            #expect(values[name] != nil, "missing \(name)")
        }
        // Every seedwatch metric the example rules use is one the daemon exports.
        let rules = try String(contentsOfFile: Self.rules + "/seedwatch-alerts.yml", encoding: .utf8)
        let used = Set(rules.matches(of: /seedwatch_[a-z_]+/).map { String($0.output) })
        #expect(!used.isEmpty)
        for name in used { #expect(metrics.body.contains("# TYPE \(name) "), "the rules use \(name), which /metrics lacks") }
        #expect(try await daemon.stop() == 0)
    }

    @Test("packaging/prometheus/seedwatch-alerts.yml passes promtool check rules and its unit tests")
    func alertRules() async throws {
        let check = try await Promtool.run(["check", "rules", Self.rules + "/seedwatch-alerts.yml"])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: 4 rules found"), "\(check.output)")
        let test = try await Promtool.run(["test", "rules", Self.rules + "/seedwatch-alerts.test.yml"])
        #expect(test.status == 0, "\(test.output)")
        #expect(test.output.contains("SUCCESS"), "\(test.output)")
    }

    /// `name{labels}` → value, for every sample line of an exposition.
    static func samples(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }
}

/// The `promtool` binary, when installed.
enum Promtool {
    static let path: String? = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs promtool with `input` on its standard input; its status and its stdout and stderr
    /// together. The blocking reads and the wait run on a thread of their own, off the concurrency pool.
    static func run(_ arguments: [String], input: String = "") async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "promtool")
        process.arguments = arguments
        let stdin = Pipe(), output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                Thread {
                    try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
                    try? stdin.fileHandleForWriting.close()
                }.start()
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            }.start()
        }
    }
}
