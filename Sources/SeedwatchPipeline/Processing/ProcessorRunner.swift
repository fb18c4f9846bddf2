import FoundationEssentials
import SeedwatchCore
import SeedwatchExecutors

/// Runs the enabled processors on one document: concurrently where they are independent, after
/// their dependencies where they are not, each under its own time limit, and stateful ones in
/// arrival order. A failing processor becomes an error entry; the others still complete.
public final class ProcessorRunner: Sendable {
    public struct Entry: Sendable {
        public var processor: any Processor
        public var timeout: Duration

        public init(processor: any Processor, timeout: Duration) {
            self.processor = processor
            self.timeout = timeout
        }
    }

    /// The entries in dependency order.
    public let entries: [Entry]
    private let gates: [String: ArrivalOrderGate]
    /// Calls cut at their time limit that are still running; shared with the runners that
    /// replace this one on a reload, as the abandoned calls are.
    public let overruns: OverrunCounter

    public init(entries: [Entry]) throws(PlanError) {
        self.entries = try Self.ordered(entries)
        var gates: [String: ArrivalOrderGate] = [:]
        for entry in entries where entry.processor.isStateful { gates[entry.processor.name] = ArrivalOrderGate() }
        self.gates = gates
        self.overruns = OverrunCounter()
    }

    private init(ordered: [Entry], gates: [String: ArrivalOrderGate], overruns: OverrunCounter) {
        self.entries = ordered
        self.gates = gates
        self.overruns = overruns
    }

    /// A runner with other entries (a reload) that continues this one's arrival order: documents
    /// still running here and those started on the new runner take their turns at the same
    /// stateful processors through the same gates. A stateful processor this runner does not
    /// have cannot join midway (its gate would wait for turns that were never taken).
    public func replacing(entries: [Entry]) throws(PlanError) -> ProcessorRunner {
        let ordered = try Self.ordered(entries)
        var kept: [String: ArrivalOrderGate] = [:]
        for entry in ordered where entry.processor.isStateful {
            guard let gate = gates[entry.processor.name] else { throw .statefulAdded(entry.processor.name) }
            kept[entry.processor.name] = gate
        }
        return ProcessorRunner(ordered: ordered, gates: kept, overruns: overruns)
    }

    public var names: [String] { entries.map { $0.processor.name } }

    /// Runs every processor on `document`; `document.sequence` decides the turn of stateful ones.
    /// Returns once the state the stateful ones queued is durable: their writes are waited for
    /// together, after the last processor, so one group commit takes all of this document's
    /// (and whatever other documents queued meanwhile), not one commit per processor. A processor
    /// whose write failed gets a failure (`GroupCommit`: with it, every state write queued
    /// after its batch was taken). A processor that used its output (topics uses entities') may
    /// already have run on it; a kill -9 still loses both or neither, batches being written in
    /// queue order.
    public func run(_ document: Document) async -> ProcessorOutcomes {
        var outcomes = ProcessorOutcomes()
        var pending = entries
        var commits: [(name: String, commit: StateCommit)] = []
        await withTaskGroup(of: (String, ProcessorOutcomes.Outcome, StateCommit?).self) { group in
            var running = 0
            func launchReady() {
                var progressed = true
                while progressed {
                    progressed = false
                    for (index, entry) in pending.enumerated().reversed() {
                        let processor = entry.processor
                        var upstream: [String: any ProcessorOutput] = [:]
                        var waiting = false
                        var failedRequirement: String?
                        for dependency in processor.dependencies where names.contains(dependency.name) {
                            switch outcomes.byName[dependency.name] {
                            case nil: waiting = true
                            case let .success(output)?: upstream[dependency.name] = output
                            // A dependency whose state was unavailable: the document is processed again,
                            // so this processor takes no turn without it (its state would keep that turn).
                            case let .failure(failure)?:
                                if dependency.isRequired || failure.isStateUnavailable { failedRequirement = dependency.name }
                            }
                        }
                        if waiting { continue }
                        pending.remove(at: index)
                        progressed = true
                        if let failedRequirement {
                            let failure = ProcessorFailure(code: "dependency_failed", message: "\(failedRequirement) produced no result")
                            outcomes.record(processor.name, .failure(failure), duration: .zero)
                            if let gate = gates[processor.name] { Task(executorPreference: DaemonExecutors.preferred) { await gate.finish(document.sequence) } }
                            continue
                        }
                        let input = ProcessorInput(document: document, upstream: upstream)
                        let gate = gates[processor.name]
                        let limit = entry.timeout
                        let overruns = overruns
                        running += 1
                        group.addTask {
                            if let gate, let staged = processor as? any StagedProcessor {
                                let (result, elapsed, commit) = await Self.runStaged(staged, input, gate: gate, limit: limit, overruns: overruns)
                                return (processor.name, .init(result: result, duration: elapsed), commit)
                            }
                            if let gate { await gate.waitTurn(document.sequence) }
                            let clock = ContinuousClock()
                            let start = clock.now
                            let result = await Deadline.run(processor, input, limit: limit, overruns: overruns)
                            let elapsed = clock.now - start
                            if let gate { await gate.finish(document.sequence) }
                            return (processor.name, .init(result: result, duration: elapsed), nil)
                        }
                    }
                }
            }
            launchReady()
            while running > 0, let (name, outcome, commit) = await group.next() {
                running -= 1
                outcomes.record(name, outcome.result, duration: outcome.duration)
                if let commit { commits.append((name, commit)) }
                launchReady()
            }
        }
        for (name, commit) in commits {
            do {
                try await commit.wait()
            } catch {
                let failure = error is any StateUnavailable ? .stateUnavailable(error) : ProcessorFailure(code: "failed", message: String(describing: error))
                outcomes.record(name, .failure(failure), duration: outcomes.durations[name] ?? .zero)
            }
        }
        return outcomes
    }

    /// A staged processor: `prepare` at once, `complete` in the document's turn. The time limit
    /// covers both stages together; the wait for the turn does not count, as for any stateful one.
    private static func runStaged<Staged: StagedProcessor>(
        _ processor: Staged, _ input: ProcessorInput, gate: ArrivalOrderGate, limit: Duration, overruns: OverrunCounter
    ) async -> (Result<any ProcessorOutput, ProcessorFailure>, Duration, StateCommit?) {
        let sequence = input.document.sequence
        let clock = ContinuousClock()
        let start = clock.now
        let prepared = await Deadline.run(limit: limit, overruns: overruns) { try await processor.prepare(input) }
        let preparing = clock.now - start
        let value: Staged.Prepared
        switch prepared {
        case let .success(ready): value = ready
        case let .failure(failure):
            await gate.finish(sequence)
            return (.failure(failure), preparing, nil)
        }
        await gate.waitTurn(sequence)
        let resumed = clock.now
        let remaining = limit > preparing ? limit - preparing : .zero
        let turn = await Deadline.run(limit: remaining, overruns: overruns) { try await processor.take(value, input) }
        let completing = clock.now - resumed
        await gate.finish(sequence)
        // After the turn: the next documents take theirs while this one's state is written, in
        // the same transaction as theirs when they finish before the write starts (group commit).
        // The write is waited for by `run`, before the result is written.
        switch turn {
        case let .failure(failure):
            return (.failure(failure), preparing + completing, nil)
        case let .success(taken):
            return (.success(taken.output), preparing + completing, taken.commit)
        }
    }

    /// Stops every processor (see `Processor.stop`); the failures, by processor name.
    public func stop() async -> [String: any Error] {
        var failures: [String: any Error] = [:]
        for entry in entries {
            do { try await entry.processor.stop() } catch { failures[entry.processor.name] = error }
        }
        return failures
    }

    /// Gives up the turns of a document that will not reach the processors (quarantined,
    /// duplicate, unchanged), so later documents are not kept waiting.
    public func skip(sequence: UInt64) async {
        for gate in gates.values { await gate.finish(sequence) }
    }

    /// Orders entries so every processor comes after the processors it depends on.
    static func ordered(_ entries: [Entry]) throws(PlanError) -> [Entry] {
        let byName = Dictionary(entries.map { ($0.processor.name, $0) }, uniquingKeysWith: { first, _ in first })
        guard byName.count == entries.count else { throw .duplicateName }
        var ordered: [Entry] = []
        var state: [String: Bool] = [:]  // false: visiting, true: done
        func visit(_ entry: Entry, path: [String]) throws(PlanError) {
            let name = entry.processor.name
            if state[name] == true { return }
            if state[name] == false { throw .cycle(path + [name]) }
            state[name] = false
            for dependency in entry.processor.dependencies {
                if let upstream = byName[dependency.name] {
                    try visit(upstream, path: path + [name])
                } else if dependency.isRequired {
                    throw .missingDependency(processor: name, dependency: dependency.name)
                }
            }
            state[name] = true
            ordered.append(entry)
        }
        for entry in entries { try visit(entry, path: []) }
        return ordered
    }
}

/// Why a set of processors cannot run together.
public enum PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateName
    case cycle([String])
    case missingDependency(processor: String, dependency: String)
    case unknownProcessor(String)
    case statefulAdded(String)

    public var description: String {
        switch self {
        case .duplicateName: "two processors have the same name"
        case let .cycle(path): "processors depend on each other in a cycle: \(path.joined(separator: " → "))"
        case let .missingDependency(processor, dependency): "processor \(processor) needs \(dependency), which is not available"
        case let .unknownProcessor(name): "unknown processor '\(name)'"
        case let .statefulAdded(name): "processor \(name) keeps state across documents and can only be added by a restart"
        }
    }
}

/// Each processor's result or error for one document, with how long it took.
public struct ProcessorOutcomes: Sendable {
    public struct Outcome: Sendable {
        public var result: Result<any ProcessorOutput, ProcessorFailure>
        public var duration: Duration
    }

    public private(set) var byName: [String: Result<any ProcessorOutput, ProcessorFailure>] = [:]
    public private(set) var durations: [String: Duration] = [:]

    public init() {}

    mutating func record(_ name: String, _ result: Result<any ProcessorOutput, ProcessorFailure>, duration: Duration) {
        byName[name] = result
        durations[name] = duration
    }

    public var failures: [String: ProcessorFailure] {
        byName.compactMapValues { if case let .failure(failure) = $0 { failure } else { nil } }
    }
}
