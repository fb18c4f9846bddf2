import Foundation
import Synchronization
import SeedwatchCore
import Testing
@testable import SeedwatchPipeline

@Suite("ProcessorRunner")
struct ProcessorRunnerTests {
    /// How long a test waits before it calls a run hung. Far above the slowest seen: beside the
    /// whole suite on 2 cores (load 16), these tests took up to 40 s, waiting for CPU.
    static let hangLimit: Duration = .seconds(180)

    private func runner(_ processors: [any Processor], timeout: Duration = .seconds(10)) throws -> ProcessorRunner {
        try ProcessorRunner(entries: processors.map { ProcessorRunner.Entry(processor: $0, timeout: timeout) })
    }

    private func text(_ outcomes: ProcessorOutcomes, _ name: String) -> String? {
        guard case let .success(output)? = outcomes.byName[name] else { return nil }
        return (output as? Text)?.text
    }

    private func failure(_ outcomes: ProcessorOutcomes, _ name: String) -> ProcessorFailure? {
        outcomes.failures[name]
    }

    @Test("independent processors run at the same time")
    func concurrentFanOut() async throws {
        // Each waits until the other has started: run one after the other, both would time out.
        let meeting = Rendezvous(count: 2)
        let left = MakeText("left") { _ in await meeting.arriveAndWait(); return "L" }
        let right = MakeText("right") { _ in await meeting.arriveAndWait(); return "R" }
        let outcomes = try await runner([left, right], timeout: .seconds(5)).run(.fromText("text"))
        #expect(text(outcomes, "left") == "L")
        #expect(text(outcomes, "right") == "R")
        #expect(outcomes.failures.isEmpty)
    }

    @Test("a dependency runs first and its output reaches the processor that needs it")
    func dependencies() async throws {
        let log = EventLog<String>()
        let source = MakeText("source") { input in
            await log.append("source finished")
            return input.document.text
        }
        let upper = MakeText("upper", dependencies: [.required("source")]) { input in
            await log.append("upper started")
            guard let upstream = input.output(of: "source", as: Text.self) else { throw Failure(description: "no source output") }
            return upstream.text.uppercased()
        }
        let both = MakeText("both", dependencies: [.required("upper"), .optional("source")]) { input in
            let first = input.output(of: "source", as: Text.self)?.text ?? "?"
            let second = input.output(of: "upper", as: Text.self)?.text ?? "?"
            return first + "+" + second
        }
        let runner = try runner([both, upper, source])
        #expect(runner.names == ["source", "upper", "both"])
        let outcomes = await runner.run(.fromText("hello"))
        #expect(text(outcomes, "upper") == "HELLO")
        #expect(text(outcomes, "both") == "hello+HELLO")
        #expect(await log.entries == ["source finished", "upper started"])
    }

    @Test("a throwing processor becomes an error entry; the others still succeed")
    func throwingIsolated() async throws {
        let outcomes = try await runner([
            MakeText("fine", text: "ok"),
            MakeText("reported") { _ in throw ProcessorFailure(code: "bad_input", message: "no sentences") },
            MakeText("crashed") { _ in throw Failure(description: "index out of range") },
            MakeText("also-fine", text: "ok too"),
        ]).run(.fromText("text"))
        #expect(text(outcomes, "fine") == "ok")
        #expect(text(outcomes, "also-fine") == "ok too")
        #expect(failure(outcomes, "reported")?.code == "bad_input")
        #expect(failure(outcomes, "reported")?.message == "no sentences")
        #expect(failure(outcomes, "crashed")?.code == "failed")
        #expect(failure(outcomes, "crashed")?.message.contains("index out of range") == true)
        #expect(Set(outcomes.durations.keys) == ["fine", "reported", "crashed", "also-fine"])
    }

    @Test("a processor that hangs ignoring cancellation is cut at its timeout; the others succeed")
    func hungProcessorTimesOut() async throws {
        let stuck = Latch()
        let hung = MakeText("hung") { _ in
            await stuck.wait()  // not cancellable: only the deadline can end the wait
            return "late"
        }
        let runner = try ProcessorRunner(entries: [
            .init(processor: hung, timeout: .milliseconds(100)),
            .init(processor: MakeText("quick", text: "ok"), timeout: .seconds(10)),
            .init(processor: MakeText("after-hung", dependencies: [.optional("hung")]) { input in
                input.output(of: "hung", as: Text.self) == nil ? "ran without it" : "saw it"
            }, timeout: .seconds(10)),
        ])
        let document = Document.fromText("text")
        let outcomes = await finishes(within: Self.hangLimit) { await runner.run(document) }
        await stuck.open()  // let the abandoned work finish so nothing outlives the test
        let result = try #require(outcomes, "run did not return although the hung processor has a 100 ms limit")
        #expect(failure(result, "hung")?.code == "timeout")
        #expect(text(result, "quick") == "ok")
        #expect(text(result, "after-hung") == "ran without it")
    }

    @Test("a call cut at its time limit counts as an overrun until it returns; calls within their limit never count")
    func overrunsAreCountedUntilTheAbandonedCallReturns() async throws {
        let stuck = Latch()
        let hung = MakeText("hung") { _ in
            await stuck.wait()  // not cancellable: it outlives its limit until the latch opens
            return "late"
        }
        let runner = try ProcessorRunner(entries: [
            .init(processor: hung, timeout: .milliseconds(100)),
            .init(processor: MakeText("quick", text: "ok"), timeout: .seconds(10)),
            .init(processor: MakeText("failing") { _ in throw ProcessorFailure(code: "bad_input", message: "no") }, timeout: .seconds(10)),
        ])
        let outcomes = await finishes(within: Self.hangLimit) { await runner.run(.fromText("text")) }
        let result = try #require(outcomes, "run did not return although the hung processor has a 100 ms limit")
        #expect(failure(result, "hung")?.code == "timeout")
        #expect(runner.overruns.running == 1)
        #expect(runner.overruns.total == 1)
        // A reload's runner inherits the abandoned call: its thread is still the process's.
        let reloaded = try runner.replacing(entries: [.init(processor: MakeText("quick", text: "ok"), timeout: .seconds(10))])
        #expect(reloaded.overruns === runner.overruns)

        await stuck.open()
        // The count drops on the abandoned call's own thread just after it returns: no event to await.
        let drained = await finishes(within: Self.hangLimit) {
            while runner.overruns.running > 0 { await Task.yield() }
            return true
        }
        #expect(drained == true, "the overrun was still counted after the abandoned call returned")
        #expect(runner.overruns.total == 1)
    }

    @Test("the hook given to whenOneEnds runs when an abandoned call returns at last, after it stopped counting")
    func endHookRunsWhenTheAbandonedCallReturns() async throws {
        let stuck = Latch()
        let runner = try ProcessorRunner(entries: [
            .init(processor: MakeText("hung") { _ in
                await stuck.wait()  // not cancellable: it outlives its limit until the latch opens
                return "late"
            }, timeout: .milliseconds(100)),
        ])
        let overruns = runner.overruns
        let runningAtEachCall = Locked<[Int]>([])
        overruns.whenOneEnds { [weak overruns] in runningAtEachCall.withLock { $0.append(overruns?.running ?? -1) } }
        let outcomes = await finishes(within: Self.hangLimit) { await runner.run(.fromText("text")) }
        let result = try #require(outcomes, "run did not return although the hung processor has a 100 ms limit")
        #expect(failure(result, "hung")?.code == "timeout")
        #expect(runningAtEachCall.withLock { $0 }.isEmpty, "the hook ran before the abandoned call returned")

        await stuck.open()
        // The hook runs on the abandoned call's own thread just after it returns: no event to await.
        let calls = await finishes(within: Self.hangLimit) {
            while runningAtEachCall.withLock({ $0.isEmpty }) { await Task.yield() }
            return runningAtEachCall.withLock { $0 }
        }
        #expect(calls == [0])
    }

    @Test("processors busy on the CPU, more than there are cores, are still cut at their timeout")
    func busyProcessorsTimeOut() async throws {
        let release = SpinFlag()
        let spinners = (0..<(2 * ProcessInfo.processInfo.activeProcessorCount + 2)).map { index in
            ProcessorRunner.Entry(processor: MakeText("spin-\(index)") { _ in
                // Never suspends: only a time limit that does not need this thread can end the wait.
                // It yields the core between checks, so that the rest of the suite, running beside
                // it, is not starved by more spinning threads than there are cores.
                while !release.isSet { sched_yield() }
                return "late"
            }, timeout: .milliseconds(100))
        }
        let runner = try ProcessorRunner(entries: spinners + [.init(processor: MakeText("quick", text: "ok"), timeout: .seconds(10))])
        let document = Document.fromText("text")
        let outcomes = await finishes(within: Self.hangLimit) { await runner.run(document) }
        release.set()
        let result = try #require(outcomes, "run did not return although every spinning processor has a 100 ms limit")
        for index in spinners.indices { #expect(failure(result, "spin-\(index)")?.code == "timeout") }
        #expect(text(result, "quick") == "ok")
    }

    @Test("cancelling a run cancels the processors in flight")
    func cancellationReachesProcessors() async throws {
        let started = Latch()
        let sawCancellation = Latch()
        let slow = MakeText("slow") { _ in
            await started.open()
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                await sawCancellation.open()
                throw error
            }
            return "finished"
        }
        let runner = try runner([slow], timeout: .seconds(60))
        let run = Task { await runner.run(.fromText("text")) }
        await started.wait()
        run.cancel()
        let outcomes = await run.value
        #expect(failure(outcomes, "slow")?.code == "cancelled")
        let cancelled = await finishes(within: Self.hangLimit) { await sawCancellation.wait(); return true }
        #expect(cancelled == true, "the processor kept running after its document was cancelled")
    }

    @Test("a processor whose required dependency failed is not run: dependency_failed")
    func failedRequiredDependency() async throws {
        let ran = EventLog<String>()
        let outcomes = try await runner([
            MakeText("base") { _ in throw ProcessorFailure(code: "broken", message: "no") },
            MakeText("needs-base", dependencies: [.required("base")]) { _ in await ran.append("needs-base"); return "x" },
            MakeText("needs-needs-base", dependencies: [.required("needs-base")]) { _ in await ran.append("needs-needs-base"); return "y" },
            MakeText("may-use-base", dependencies: [.optional("base")]) { input in
                input.output(of: "base", as: Text.self) == nil ? "without" : "with"
            },
        ]).run(.fromText("text"))
        #expect(failure(outcomes, "base")?.code == "broken")
        #expect(failure(outcomes, "needs-base")?.code == "dependency_failed")
        #expect(failure(outcomes, "needs-base")?.message.contains("base") == true)
        #expect(failure(outcomes, "needs-needs-base")?.code == "dependency_failed")
        #expect(text(outcomes, "may-use-base") == "without")
        #expect(await ran.entries == [])
    }

    @Test("a stateful processor sees documents in arrival order, whatever order run() is called in")
    func statefulArrivalOrder() async throws {
        let log = EventLog<UInt64>()
        let runner = try runner([SequenceRecorder(log: log), MakeText("stateless", text: "s")])
        let count: UInt64 = 60
        var order = Array(0..<count)
        order.shuffle()
        order.swapAt(0, order.firstIndex(of: count - 1) ?? 0)  // the last document asks first
        let calls = order
        let finished = await finishes(within: Self.hangLimit) {
            await withTaskGroup(of: Void.self) { group in
                for sequence in calls {
                    group.addTask { _ = await runner.run(.fromText("document \(sequence)", sequence: sequence)) }
                }
            }
            return true
        }
        #expect(finished == true, "documents waited for a turn that never came")
        #expect(await log.entries == Array(0..<count))
    }

    @Test("a staged processor prepares documents at the same time and completes them in arrival order")
    func stagedProcessor() async throws {
        let log = EventLog<UInt64>()
        let count: UInt64 = 8
        let staged = StagedRecorder(meeting: Rendezvous(count: Int(count)), log: log)
        #expect(staged.isStateful)
        let runner = try runner([staged], timeout: .seconds(30))
        let finished = await finishes(within: Self.hangLimit) {
            await withTaskGroup(of: Void.self) { group in
                for sequence in (0..<count).reversed() {
                    group.addTask { _ = await runner.run(.fromText("document \(sequence)", sequence: sequence)) }
                }
            }
            return true
        }
        #expect(finished == true)
        // Were the preparations run one at a time, the first would wait at the meeting until its limit.
        #expect(await log.entries == Array(0..<count))
    }

    @Test("skip(sequence:) gives up a turn, so later documents are not kept waiting")
    func skipReleasesTurn() async throws {
        let log = EventLog<UInt64>()
        let runner = try runner([SequenceRecorder(log: log)])
        let skipped: Set<UInt64> = [0, 5, 6, 19]
        var order = Array(UInt64(0)..<20)
        order.shuffle()
        let calls = order
        let finished = await finishes(within: Self.hangLimit) {
            await withTaskGroup(of: Void.self) { group in
                for sequence in calls {
                    group.addTask {
                        if skipped.contains(sequence) {
                            await runner.skip(sequence: sequence)
                        } else {
                            _ = await runner.run(.fromText("document \(sequence)", sequence: sequence))
                        }
                    }
                }
            }
            return true
        }
        #expect(finished == true, "a skipped turn kept later documents waiting")
        #expect(await log.entries == (0..<20).filter { !skipped.contains($0) })
    }

    @Test("a stateful processor whose required dependency failed still gives up its turn")
    func statefulDependencyFailureReleasesTurn() async throws {
        struct Gatekeeper: Processor {
            let name = "gatekeeper"
            func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
                if input.document.sequence == 0 { throw ProcessorFailure(code: "rejected", message: "first document") }
                return Text(text: "pass")
            }
        }
        struct OrderedAfterGate: Processor {
            let name = "ordered"
            let isStateful = true
            let dependencies: [ProcessorDependency] = [.required("gatekeeper")]
            let log: EventLog<UInt64>
            func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
                await log.append(input.document.sequence)
                return Text(text: "seen")
            }
        }
        let log = EventLog<UInt64>()
        let runner = try runner([Gatekeeper(), OrderedAfterGate(log: log)])
        let outcomes = await finishes(within: Self.hangLimit) {
            let first = await runner.run(.fromText("zero", sequence: 0))
            _ = await runner.run(.fromText("one", sequence: 1))
            return first
        }
        let first = try #require(outcomes, "document 1 waited for the turn of document 0")
        #expect(first.failures["ordered"]?.code == "dependency_failed")
        #expect(await log.entries == [1])
    }

    @Test("a runner replaced midway (a reload) keeps the arrival order of the stateful processor across both")
    func replacingKeepsArrivalOrder() async throws {
        let log = EventLog<UInt64>()
        let recorder = SequenceRecorder(log: log)
        let before = try runner([recorder, MakeText("stateless", text: "old")])
        let replacements: [any Processor] = [recorder, MakeText("stateless", text: "new")]
        let after = try before.replacing(entries: replacements.map { ProcessorRunner.Entry(processor: $0, timeout: .seconds(10)) })
        #expect(after.names.sorted() == ["recorder", "stateless"])
        // Even documents on the old runner, odd ones on the new, all started at once in reverse.
        let results: [UInt64: String]? = await finishes(within: Self.hangLimit) {
            await withTaskGroup(of: (UInt64, String?).self) { group -> [UInt64: String] in
                for sequence in (UInt64(0)..<20).reversed() {
                    let runner = sequence % 2 == 0 ? before : after
                    group.addTask {
                        let outcomes = await runner.run(.fromText("document \(sequence)", sequence: sequence))
                        guard case let .success(output)? = outcomes.byName["stateless"] else { return (sequence, nil) }
                        return (sequence, (output as? Text)?.text)
                    }
                }
                var texts: [UInt64: String] = [:]
                for await (sequence, text) in group { texts[sequence] = text }
                return texts
            }
        }
        let texts = try #require(results, "a document waited for a turn taken on the other runner")
        #expect(await log.entries == Array(0..<20))
        #expect(texts[2] == "old" && texts[3] == "new")
    }

    @Test("a stateful processor cannot join a replaced runner")
    func replacingRefusesNewStateful() throws {
        let before = try runner([MakeText("stateless", text: "s")])
        #expect(throws: PlanError.statefulAdded("recorder")) {
            try before.replacing(entries: [ProcessorRunner.Entry(processor: SequenceRecorder(log: EventLog()), timeout: .seconds(1))])
        }
    }

    @Test("plans that cannot run are refused")
    func planErrors() {
        #expect(throws: PlanError.cycle(["a", "b", "a"])) {
            try runner([MakeText("a", dependencies: [.required("b")]) { _ in "" }, MakeText("b", dependencies: [.optional("a")]) { _ in "" }])
        }
        #expect(throws: PlanError.cycle(["self", "self"])) {
            try runner([MakeText("self", dependencies: [.required("self")]) { _ in "" }])
        }
        #expect(throws: PlanError.missingDependency(processor: "summary", dependency: "sentences")) {
            try runner([MakeText("summary", dependencies: [.required("sentences")]) { _ in "" }])
        }
        #expect(throws: PlanError.duplicateName) {
            try runner([MakeText("twin", text: "1"), MakeText("twin", text: "2")])
        }
        #expect(PlanError.cycle(["a", "b", "a"]).description.contains("a → b → a"))
    }

    @Test("a missing optional dependency is fine")
    func missingOptionalDependency() async throws {
        let outcomes = try await runner([MakeText("alone", dependencies: [.optional("absent")]) { _ in "fine" }]).run(.fromText("t"))
        #expect(text(outcomes, "alone") == "fine")
    }

    @Test("no processors: nothing to do")
    func empty() async throws {
        let outcomes = try await runner([]).run(.fromText("t"))
        #expect(outcomes.byName.isEmpty)
    }
}

/// A flag a spinning processor polls without suspending.
final class SpinFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
