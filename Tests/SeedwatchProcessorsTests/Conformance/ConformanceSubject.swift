import Foundation
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchPipeline
import SeedwatchProcessors
import SeedwatchTestSupport
import Testing

/// One processor the conformance suite runs: every built-in of `ProcessorRegistry` and every
/// example plugin of `packaging/examples/processors/`, the latter run as external processors.
///
/// Each subject runs the way the daemon runs it: through a `ProcessorRunner` made by
/// `ProcessorSetup` from a configuration, with only the processor asked for and what it requires.
struct ConformanceSubject: Sendable, CustomTestStringConvertible {
    /// An example plugin: its file in `packaging/examples/processors/` and the mode it speaks.
    struct Example: Sendable {
        var file: String
        var name: String
        var mode: String
    }

    let name: String
    let example: Example?

    var testDescription: String { example.map { "\(name) (external, \($0.mode))" } ?? name }

    /// Every example plugin with the mode its header comment declares. A new file in the folder
    /// must be added here (`everyExamplePluginIsASubject` fails until it is).
    static let examples: [Example] = [
        Example(file: "wordcount.sh", name: "wordcount", mode: "per-document"),
        Example(file: "keywords.py", name: "keywords", mode: "persistent"),
    ]

    static let all: [ConformanceSubject] =
        ProcessorRegistry.builtIns.map { ConformanceSubject(name: $0.processorName, example: nil) }
        + examples.map { ConformanceSubject(name: $0.name, example: $0) }

    /// Configuration keys of this processor: the built-in's scope, or the external family's
    /// fields for this instance.
    var configKeys: [ConfigKey] {
        if example != nil {
            return ExternalProcessors.family(builtIns: ProcessorSetup.catalog.names).keys(for: name)
        }
        return ProcessorSetup.catalog.configKeys.filter { $0.name.hasPrefix("processors.\(name).") }
    }

    /// `processors.<name>.` or `processors.external.<name>.`.
    var scope: String { example == nil ? "processors.\(name)." : "processors.external.\(name)." }

    /// A time limit no processor reaches on these inputs (a guard against a hang, not a
    /// performance bound), scaled like every other wait of the tests.
    static let generousLimitMilliseconds = Int(TestTime.seconds(600) * 1000)

    /// The daemon's configuration with this processor declared; `limitMilliseconds` is this
    /// processor's own time limit (its dependencies keep the generous one).
    func configuration(limitMilliseconds: Int = generousLimitMilliseconds) throws -> Configuration {
        var overrides = ["pipeline.timeout_ms=\(Self.generousLimitMilliseconds)", "\(scope)timeout_ms=\(limitMilliseconds)"]
        if let example {
            overrides += [
                "\(scope)command=\(Repository.path("packaging/examples/processors/\(example.file)"))",
                "\(scope)mode=\(example.mode)",
            ]
        }
        return try ConfigLoader(schema: ProcessorSetup.schema).load(file: nil, defaultFile: nil, environment: [:], overrides: overrides)
    }

    /// A fresh runner (fresh instances, fresh in-memory state) with this processor and what it requires.
    func makeRunner(limitMilliseconds: Int = generousLimitMilliseconds) throws -> ProcessorRunner {
        try ProcessorSetup.makeRunner(configuration(limitMilliseconds: limitMilliseconds), store: MemoryStateStore(), only: [name])
    }

    /// Runs `body` with a fresh runner, then stops it (a persistent plugin's process ends).
    func withRunner<T>(
        limitMilliseconds: Int = generousLimitMilliseconds, _ body: (ProcessorRunner) async throws -> T
    ) async throws -> T {
        let runner = try makeRunner(limitMilliseconds: limitMilliseconds)
        do {
            let value = try await body(runner)
            _ = await runner.stop()
            return value
        } catch {
            _ = await runner.stop()
            throw error
        }
    }

    func isStateful(in runner: ProcessorRunner) -> Bool {
        runner.entries.first { $0.processor.name == name }?.processor.isStateful ?? false
    }

    /// Whether this processor needs another one of the runner: when that one fails (or is
    /// cancelled), this one reports `dependency_failed` without running.
    func hasRequiredDependency(in runner: ProcessorRunner) -> Bool {
        guard let processor = runner.entries.first(where: { $0.processor.name == name })?.processor else { return false }
        return processor.dependencies.contains { $0.isRequired && runner.names.contains($0.name) }
    }
}

/// This processor's outcome for one document, encoded as the outbox writes it.
struct SubjectOutcome: Sendable {
    /// The outbox record's bytes (`ResultRecord.encoded`).
    var record: [UInt8]
    /// `results.<name>` alone, encoded the same way; nil when the processor failed.
    var result: [UInt8]?
    var failure: ProcessorFailure?

    var failureCode: String? { failure?.code }
    var resultText: String { result.map { String(decoding: $0, as: UTF8.self) } ?? "" }
    var summary: String {
        if let failure { return "failure \(failure.code): \(failure.message)" }
        return "result \(resultText.prefix(300))"
    }
}

extension ConformanceSubject {
    /// Runs `document` through `runner` and returns this processor's outcome, checking on the
    /// way that it has one and that the record round-trips through JSON.
    func run(_ document: Document, on runner: ProcessorRunner) async throws -> SubjectOutcome {
        let outcomes = await runner.run(document)
        let outcome = try #require(outcomes.byName[name], "\(name) has no outcome")
        let record = ResultRecord(document: document, outcomes: outcomes, completedAt: Date())
        let bytes = try record.encoded()
        try JSONRoundTrip.expectIdentical(bytes, context: "\(name), \(document.source.relativePath)")
        switch outcome {
        case let .success(output):
            return SubjectOutcome(record: bytes, result: try SortedJSONEncoder.encode(EncodedOutput(output)), failure: nil)
        case let .failure(failure):
            return SubjectOutcome(record: bytes, result: nil, failure: failure)
        }
    }
}

/// The outbox bytes decoded as JSON and encoded again must be the same bytes: sorted keys,
/// numbers and escapes written one way only.
enum JSONRoundTrip {
    static func expectIdentical(_ bytes: [UInt8], context: String) throws {
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        let again = try SortedJSONEncoder.encode(decoded) + [0x0A]
        #expect(
            again == bytes,
            "\(context): JSON round trip differs: \(String(decoding: bytes.prefix(200), as: UTF8.self)) vs \(String(decoding: again.prefix(200), as: UTF8.self))"
        )
    }
}

/// Files of the repository this test target is built from.
enum Repository {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func text(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }
}
