import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing

/// `seedwatch process --json` and the daemon run one document pipeline: on the same files, in the
/// same order, they give the same records (timing fields aside).
@Suite("process and run agree", .timeLimit(.minutes(TestTime.minutes(3))))
struct PipelineAgreementTests {
    static let repositorySeeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds").path
    static let sharedSeedsPresent = FileManager.default.fileExists(atPath: DaemonHarness.sharedSeeds)

    @Test("the repository's samples")
    func repositorySamples() async throws {
        try await agree(on: Self.repositorySeeds)
    }

    // A bare clone has no ../shared beside it: the test says so instead of failing.
    @Test("the shared seed articles", .enabled(if: sharedSeedsPresent, "needs ../shared/seeds beside the checkout"))
    func sharedSeeds() async throws {
        try await agree(on: DaemonHarness.sharedSeeds)
    }

    /// Drops the files into the daemon's watch folder one at a time (each result awaited, so the
    /// stateful processors see them in this order), then runs `process --json` on the same files
    /// in the same order, and compares record for record.
    private func agree(on folder: String) async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count >= 3)
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        for (index, name) in names.enumerated() {
            // Byte for byte, under a temporary (ignored) name, then renamed in as `mv` does.
            let temporary = daemon.watch + "/." + name + ".part"
            try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)).write(to: URL(fileURLWithPath: temporary))
            try FileManager.default.moveItem(atPath: temporary, toPath: daemon.watch + "/" + name)
            _ = try await within(30, "result \(index + 1) (\(name))") { await outbox.await(count: index + 1) }
        }
        #expect(try await daemon.stop() == 0)

        var fromDaemon: [String: JSONValue] = [:]
        for file in daemon.results() {
            let record = try #require(JSONValue.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: daemon.outbox + "/" + file)))))
            fromDaemon[record["source"]?["relative_path"]?.stringValue ?? file] = Self.withoutTiming(record)
        }
        let paths = names.map { daemon.watch + "/" + $0 }
        let result = try await DaemonHarness.command(["process", "--json"] + paths, directory: daemon.root)
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == names.count)
        #expect(fromDaemon.count == names.count)
        for line in lines {
            let record = try #require(JSONValue.parse(Array(line.utf8)))
            let name = try #require(record["source"]?["relative_path"]?.stringValue)
            #expect(record["results"] != nil && record["results"] != .object([:]))
            #expect(Self.withoutTiming(record) == fromDaemon[name], "\(name): process and run disagree")
        }
    }

    /// The record less `arrived_at`, `completed_at` and each processor's `duration_ms`.
    static func withoutTiming(_ record: JSONValue) -> JSONValue {
        guard case var .object(members) = record else { return record }
        members["arrived_at"] = nil
        members["completed_at"] = nil
        if case let .object(processors)? = members["processors"] {
            members["processors"] = .object(processors.mapValues { summary in
                guard case var .object(fields) = summary else { return summary }
                fields["duration_ms"] = nil
                return .object(fields)
            })
        }
        return .object(members)
    }
}
