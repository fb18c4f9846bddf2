import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchDaemon

/// What `check-config` and `run` both refuse beyond a key's type and range.
@Suite("configuration check", .timeLimit(.minutes(TestTime.minutes(2))))
struct ConfigurationCheckTests {
    private func configuration(_ overrides: [String]) throws -> Configuration {
        try ConfigLoader(schema: ProcessorSetup.schema).load(file: nil, defaultFile: nil, environment: [:], overrides: overrides)
    }

    private func refusal(_ overrides: [String], in directory: String) throws -> ConfigError? {
        do {
            try ConfigurationCheck.validate(configuration(overrides), workingDirectory: directory)
            return nil
        } catch let error as ConfigError {
            return error
        }
    }

    @Test("the four folders must be apart: the same folder, one inside another, or one reached through a link are refused")
    func foldersApart() throws {
        let root = NSTemporaryDirectory() + "seedwatch-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/alias", withDestinationPath: root + "/in")
        let apart = ["watch=in", "outbox=out", "state=state", "quarantine=quarantine"]
        #expect(try refusal(apart, in: root) == nil)
        let cases: [([String], String)] = [
            (["outbox=in"], "outbox"),
            (["outbox=./in/"], "outbox"),
            (["outbox=in/results"], "outbox"),
            (["watch=out/in"], "outbox"),
            (["state=in/.state"], "state"),
            (["quarantine=alias"], "quarantine"),
            (["quarantine=alias/q"], "quarantine"),
            (["state=out"], "state"),
            (["watch=/", "outbox=\(root)/out"], "outbox"),
        ]
        for (overrides, key) in cases {
            let error = try refusal(apart + overrides, in: root)
            #expect(error?.key == key, "\(overrides): \(String(describing: error))")
            if case .overlappingFolders? = error {} else { Issue.record("\(overrides) not refused as overlapping: \(String(describing: error))") }
        }
    }

    @Test("with ingest.after=move the done folder must be apart from the others too, the key named; with keep or delete it is not used")
    func doneFolderApart() throws {
        let root = NSTemporaryDirectory() + "seedwatch-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let apart = ["watch=in", "outbox=out", "state=state", "quarantine=quarantine"]
        #expect(try refusal(apart + ["ingest.after=move", "ingest.done_folder=done"], in: root) == nil)
        #expect(try refusal(apart + ["ingest.after=keep", "ingest.done_folder=in/done"], in: root) == nil)
        #expect(try refusal(apart + ["ingest.after=delete", "ingest.done_folder=in"], in: root) == nil)
        for done in ["in/done", "in", "./in/sub/", "out/done", "quarantine/files"] {
            let error = try refusal(apart + ["ingest.after=move", "ingest.done_folder=\(done)"], in: root)
            #expect(error?.key == "ingest.done_folder", "\(done): \(String(describing: error))")
            if case .overlappingFolders? = error {} else { Issue.record("\(done) not refused as overlapping: \(String(describing: error))") }
        }
        #expect(try refusal(apart + ["ingest.after=sideways"], in: root)?.key == "ingest.after")
    }

    @Test("a path resolves through the links of the part that exists; the missing rest is kept")
    func resolve() throws {
        #expect(ConfigurationCheck.resolve("/") == "/")
        #expect(ConfigurationCheck.resolve("/nonexistent-\(getpid())/a/b") == "/nonexistent-\(getpid())/a/b")
        let real = try #require(realpath(NSTemporaryDirectory(), nil))
        defer { free(real) }
        #expect(ConfigurationCheck.resolve(NSTemporaryDirectory() + "missing-\(getpid())") == String(cString: real) + "/missing-\(getpid())")
    }

    /// Defect 10, and `check-config` accepting `control.tcp=0.0.0.0:…` that `run` refused: both
    /// commands now refuse the same configurations, with status 2 and the key named.
    @Test("check-config and run refuse the same things: overlapping folders, a non-loopback control.tcp", arguments: [
        (["--set", "outbox=in"], "'outbox'"),
        (["--set", "quarantine=in/q"], "'quarantine'"),
        (["--set", "control.tcp=0.0.0.0:8081"], "'control.tcp'"),
    ])
    func commandsAgree(overrides: [String], key: String) async throws {
        let root = NSTemporaryDirectory() + "seedwatch-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let base = ["--set", "watch=in", "--set", "outbox=out", "--set", "state=state", "--set", "quarantine=quarantine", "--set", "log.target=stderr"]
        for command in ["check-config", "run"] {
            let result = try await DaemonHarness.command([command] + base + overrides, directory: root)
            #expect(result.status == 2, "\(command) \(overrides): \(result.err)")
            #expect(result.err.contains(key), "\(command): \(result.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/state"))
    }
}
