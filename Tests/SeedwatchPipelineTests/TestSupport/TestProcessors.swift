import Foundation
import SeedwatchCore
import SeedwatchTestSupport

/// Runs `body` with a fresh folder under the system temporary folder and removes it afterwards,
/// whatever `body` does.
@discardableResult
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("seedwatch-pipeline-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A processor output for tests.
struct Text: ProcessorOutput, Equatable {
    var text: String
}

/// Returns a fixed text, or a function of its upstream outputs.
struct MakeText: Processor {
    var name: String
    var dependencies: [ProcessorDependency] = []
    var make: @Sendable (ProcessorInput) async throws -> String

    init(_ name: String, dependencies: [ProcessorDependency] = [], make: @escaping @Sendable (ProcessorInput) async throws -> String) {
        self.name = name
        self.dependencies = dependencies
        self.make = make
    }

    init(_ name: String, text: String) {
        self.init(name) { _ in text }
    }

    func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        Text(text: try await make(input))
    }
}

/// Records the sequence numbers of the documents it sees; declares itself stateful.
struct SequenceRecorder: Processor {
    let name = "recorder"
    let isStateful = true
    let log: EventLog<UInt64>

    func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        // A few suspension points, so a document that ran out of turn would have room to overtake.
        for _ in 0..<Int(input.document.sequence % 4) { await Task.yield() }
        await log.append(input.document.sequence)
        return Text(text: String(input.document.sequence))
    }
}

/// A staged processor: `prepare` meets the other documents' preparations (proof that they run
/// at the same time), `complete` records the sequence number.
struct StagedRecorder: StagedProcessor {
    let name = "staged"
    let meeting: Rendezvous
    let log: EventLog<UInt64>

    func prepare(_ input: ProcessorInput) async throws -> UInt64 {
        await meeting.arriveAndWait()
        // The first document prepares longest, so later ones are ready before it.
        if input.document.sequence == 0 { for _ in 0..<50 { await Task.yield() } }
        return input.document.sequence
    }

    func complete(_ sequence: UInt64, _ input: ProcessorInput) async throws -> any ProcessorOutput {
        await log.append(sequence)
        return Text(text: String(sequence))
    }
}

/// An ordered log of what happened, appended from concurrent tasks.
actor EventLog<Element: Sendable> {
    private(set) var entries: [Element] = []

    func append(_ entry: Element) {
        entries.append(entry)
    }
}

/// A meeting point for `count` parties: each waits until all have arrived. Proves that work ran
/// at the same time without measuring time.
actor Rendezvous {
    private let count: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        self.count = count
    }

    func arriveAndWait() async {
        if waiting.count + 1 == count {
            for party in waiting { party.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// A door that stays shut until `open()`, and ignores cancellation while shut: a stand-in for a
/// processor stuck in a blocking call.
actor Latch {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for party in waiting { party.resume() }
        waiting.removeAll()
    }
}

/// The value of `work`, or nil if it has not finished within `limit`. Unlike a task group, this
/// returns at the limit even if `work` never ends, so a hang fails the test instead of hanging it.
/// Limits are generous (minutes): they catch hangs, and a loaded 2-core machine running the
/// whole suite beside these can keep them waiting for CPU for tens of seconds.
func finishes<T: Sendable>(within limit: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
    let once = DeliverOnce<T?>()
    return await withCheckedContinuation { continuation in
        once.install(continuation)
        let worker = Task { once.deliver(await work()) }
        Task {
            // Scaled like every wait of the tests (`SEEDWATCH_TEST_TIME_SCALE`, 10 under sanitizers).
            try? await Task.sleep(for: limit * TestTime.seconds(1))
            once.deliver(nil)
            worker.cancel()
        }
    }
}

/// Resumes a continuation with the first value delivered; later ones are dropped.
private final class DeliverOnce<T: Sendable>: Sendable {
    private let state = Locked<(continuation: CheckedContinuation<T, Never>?, done: Bool)>((nil, false))

    func install(_ continuation: CheckedContinuation<T, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func deliver(_ value: T) {
        let continuation = state.withLock { state -> CheckedContinuation<T, Never>? in
            guard !state.done else { return nil }
            state.done = true
            return state.continuation
        }
        continuation?.resume(returning: value)
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
}
