import Foundation
import SeedwatchCore
import SeedwatchPipeline
import SeedwatchProcessors
import SeedwatchTestSupport
import Testing

/// What every processor must do, checked over every built-in of `ProcessorRegistry` and every
/// example plugin (run as an external processor): a processor added to the registry is covered
/// without a line here. Each runs as in the daemon, through a `ProcessorRunner` with what it
/// requires, and every outcome's outbox record is checked to round-trip through JSON.
///
/// "The same result" for a processor that keeps state across documents (`isStateful`:
/// `entities`' registry, `topics`' tracker): the same documents in the same order give the same
/// results on a fresh instance; one instance given a document twice may answer differently the
/// second time (a repeated story, an entity already known). Stateless processors must give the
/// same result every time, on any instance.
@Suite("Processor conformance", .timeLimit(.minutes(TestTime.minutes(10))), .ownThreads)
struct ProcessorConformanceTests {
    /// Codes a processor must not give for a document it was able to read: the pipeline's own
    /// (time limit, cancellation) and `failed`, an error the processor did not name.
    static let unexpectedCodes: Set<String> = ["failed", "timeout", "cancelled", "dependency_failed"]

    @Test(arguments: ConformanceSubject.all)
    func emptyDocument(_ subject: ConformanceSubject) async throws {
        try await subject.withRunner { runner in
            for (index, text) in ["", " \n\t \n"].enumerated() {
                let document = ConformanceInputs.document(text, name: "empty-\(index).txt", sequence: UInt64(index))
                let outcome = try await subject.run(document, on: runner)
                // A result, or a failure the processor names itself.
                #expect(!Self.unexpectedCodes.contains(outcome.failureCode ?? ""), "\(subject.name), empty #\(index): \(outcome.summary)")
            }
        }
    }

    @Test(arguments: ConformanceSubject.all)
    func oneMegabyteDocument(_ subject: ConformanceSubject) async throws {
        let text = ConformanceInputs.oneMegabyte
        #expect(text.utf8.count >= 1 << 20)
        let outcome = try await subject.withRunner { try await subject.run(ConformanceInputs.document(text, name: "large.txt"), on: $0) }
        #expect(outcome.failure == nil, "\(subject.name), 1 MiB: \(outcome.summary)")
        #expect(!outcome.resultText.contains("\u{FFFD}"), "\(subject.name), 1 MiB: a replacement character in the result")
    }

    /// Every script gives a result, and no character is broken on the way (a cut inside a
    /// scalar or a grapheme written as bytes would show as U+FFFD in the result).
    @Test(arguments: ConformanceSubject.all)
    func textInSeveralScripts(_ subject: ConformanceSubject) async throws {
        let samples = ConformanceInputs.scripts + [("mixed", ConformanceInputs.mixed)]
        try await subject.withRunner { runner in
            for (index, sample) in samples.enumerated() {
                let document = ConformanceInputs.document(sample.text, name: "\(sample.name).txt", sequence: UInt64(index))
                let outcome = try await subject.run(document, on: runner)
                #expect(outcome.failure == nil, "\(subject.name), \(sample.name): \(outcome.summary)")
                #expect(!outcome.resultText.isEmpty, "\(subject.name), \(sample.name): no result")
                #expect(!outcome.resultText.contains("\u{FFFD}"), "\(subject.name), \(sample.name): a replacement character in \(outcome.resultText.prefix(300))")
            }
        }
    }

    /// The same documents in the same order on two fresh instances: the same results, byte for
    /// byte. On one instance, a stateless processor answers a repeated document the same way.
    @Test(arguments: ConformanceSubject.all)
    func sameInputTwiceGivesTheSameResult(_ subject: ConformanceSubject) async throws {
        let documents = (0..<2).map { ConformanceInputs.document(ConformanceInputs.mixed, name: "same.txt", sequence: UInt64($0)) }
        func runFresh() async throws -> (outcomes: [SubjectOutcome], stateful: Bool) {
            try await subject.withRunner { runner in
                var outcomes: [SubjectOutcome] = []
                for document in documents { outcomes.append(try await subject.run(document, on: runner)) }
                return (outcomes, subject.isStateful(in: runner))
            }
        }
        let first = try await runFresh()
        let second = try await runFresh()
        for (index, (a, b)) in zip(first.outcomes, second.outcomes).enumerated() {
            #expect(a.failure == nil, "\(subject.name), call \(index): \(a.summary)")
            #expect(a.result == b.result, "\(subject.name), call \(index) on two fresh instances:\n\(a.resultText.prefix(400))\n\(b.resultText.prefix(400))")
        }
        if !first.stateful {
            #expect(first.outcomes[0].result == first.outcomes[1].result, "\(subject.name) is stateless but answered a repeated document differently")
        }
    }

    /// Documents run concurrently (as the daemon runs them) give what they give one after the
    /// other on a fresh instance: a stateful processor still sees them in arrival order.
    @Test(arguments: ConformanceSubject.all)
    func concurrentCallsGiveTheSequentialResults(_ subject: ConformanceSubject) async throws {
        var documents = ConformanceInputs.scripts.enumerated().map { index, sample in
            ConformanceInputs.document(sample.text, name: "\(sample.name).txt", sequence: UInt64(index))
        }
        documents.append(ConformanceInputs.document(ConformanceInputs.mixed, name: "mixed.txt", sequence: UInt64(documents.count)))
        // Repeats too: the same content under the same name, later in the stream.
        for repeated in [0, documents.count - 1] {
            var again = documents[repeated]
            again.sequence = UInt64(documents.count)
            documents.append(again)
        }
        let sequential = try await subject.withRunner { runner in
            var outcomes: [SubjectOutcome] = []
            for document in documents { outcomes.append(try await subject.run(document, on: runner)) }
            return outcomes
        }
        let concurrent = try await subject.withRunner { runner in
            try await withThrowingTaskGroup(of: (Int, SubjectOutcome).self) { group in
                for (index, document) in documents.enumerated() {
                    group.addTask {
                        let outcome = try await subject.run(document, on: runner)
                        return (index, outcome)
                    }
                }
                var outcomes: [Int: SubjectOutcome] = [:]
                for try await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes
            }
        }
        #expect(concurrent.count == documents.count)
        for (index, expected) in sequential.enumerated() {
            let got = concurrent[index]
            #expect(expected.failure == nil, "\(subject.name), document \(index): \(expected.summary)")
            #expect(got?.result == expected.result, "\(subject.name), document \(index): concurrent \(got?.summary ?? "none") vs sequential \(expected.summary)")
        }
    }

    /// A document whose task is cancelled gets `cancelled` (or `dependency_failed` when what
    /// the processor requires was cancelled first), and gives up its turn: the next document
    /// is processed as on a fresh instance (stateless) or at all (stateful).
    @Test(arguments: ConformanceSubject.all)
    func cancelledDocumentLeavesTheProcessorWorking(_ subject: ConformanceSubject) async throws {
        let cancelled = ConformanceInputs.document(ConformanceInputs.mixed, name: "cancelled.txt", sequence: 0)
        let next = ConformanceInputs.document(ConformanceInputs.scripts[0].text, name: "next.txt", sequence: 1)
        let reference = try await subject.withRunner { try await subject.run(ConformanceInputs.document(next.text, name: "next.txt"), on: $0) }
        try await subject.withRunner { runner in
            let outcomes = await Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await runner.run(cancelled)
            }.value
            let expected = subject.hasRequiredDependency(in: runner) ? "dependency_failed" : "cancelled"
            #expect(outcomes.failures[subject.name]?.code == expected, "\(subject.name): \(String(describing: outcomes.byName[subject.name]))")
            let after = try await subject.run(next, on: runner)
            #expect(after.failure == nil, "\(subject.name) after a cancellation: \(after.summary)")
            if !subject.isStateful(in: runner) {
                #expect(after.result == reference.result, "\(subject.name) after a cancellation: \(after.summary)")
            }
        }
    }

    /// The runner's time limit cuts the processor on a 1 MiB document (`timeout`, at the limit,
    /// whatever the processor does), the abandoned call ends (it is counted as an overrun until
    /// then), and the processor, given a limit it can meet, works as before.
    @Test(arguments: ConformanceSubject.all)
    func timeLimitCutsTheCallAndTheProcessorRecovers(_ subject: ConformanceSubject) async throws {
        let large = ConformanceInputs.oneMegabyte
        let small = ConformanceInputs.scripts[0].text
        let reference = try await subject.withRunner { try await subject.run(ConformanceInputs.document(small, name: "small.txt"), on: $0) }
        try await subject.withRunner(limitMilliseconds: 1) { runner in
            // 1 ms is far below what any processor takes on 1 MiB; a few tries in case the
            // timer thread was not scheduled in time on a loaded machine.
            var sequence: UInt64 = 0
            var timedOut = false
            while !timedOut && sequence < 3 {
                let outcome = try await subject.run(ConformanceInputs.document(large, name: "large.txt", sequence: sequence), on: runner)
                sequence += 1
                timedOut = outcome.failureCode == "timeout"
                if !timedOut { #expect(outcome.failure == nil, "\(subject.name) under 1 ms: \(outcome.summary)") }
            }
            #expect(timedOut, "\(subject.name): 1 MiB never reached the 1 ms limit")
            // Bounded, not timed: a call that never ends fails here instead of hanging the suite.
            #expect(await eventually(within: 300) { runner.overruns.running == 0 }, "\(subject.name): the abandoned call did not end")
            let relaxed = try runner.replacing(entries: runner.entries.map {
                ProcessorRunner.Entry(processor: $0.processor, timeout: .milliseconds(ConformanceSubject.generousLimitMilliseconds))
            })
            let after = try await subject.run(ConformanceInputs.document(small, name: "small.txt", sequence: sequence), on: relaxed)
            #expect(after.failure == nil, "\(subject.name) after a timeout: \(after.summary)")
            if !subject.isStateful(in: runner) {
                #expect(after.result == reference.result, "\(subject.name) after a timeout: \(after.summary)")
            }
        }
    }

    @Test(arguments: ConformanceSubject.all)
    func everyConfigurationKeyIsDocumented(_ subject: ConformanceSubject) throws {
        let docs = try ConfigurationDocs()
        let keys = subject.configKeys
        #expect(keys.contains { $0.name.hasSuffix(".enabled") } && keys.contains { $0.name.hasSuffix(".timeout_ms") })
        let undocumented = keys.filter { !docs.documents($0, of: subject) }.map(\.name)
        #expect(undocumented.isEmpty, "documented neither in README.md nor in docs/*.md: \(undocumented)")
    }

    @Test func everyExamplePluginIsASubject() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repository.path("packaging/examples/processors"))
        #expect(!files.isEmpty)
        #expect(Set(files) == Set(ConformanceSubject.examples.map(\.file)))
        #expect(Set(ConformanceSubject.all.map(\.name)).isSuperset(of: ProcessorRegistry.builtIns.map { $0.processorName }))
    }
}
