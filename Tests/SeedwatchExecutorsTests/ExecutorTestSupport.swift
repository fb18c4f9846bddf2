import Glibc
import SeedwatchTestSupport
@testable import SeedwatchExecutors

/// The kernel's name for the calling thread (`/proc/thread-self/comm`).
func currentThreadName() -> String {
    let fd = open("/proc/thread-self/comm", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = read(fd, &buffer, buffer.count)
    guard count > 0 else { return "" }
    return String(decoding: buffer[0..<count], as: UTF8.self).trimmingNewline
}

extension String {
    var trimmingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}

/// A list several threads append to.
final class Recorder<Element: Sendable>: Sendable {
    private let monitor = ThreadMonitor()
    private nonisolated(unsafe) var elements: [Element] = []

    func append(_ element: Element) { monitor.withLock { elements.append(element) } }
    var values: [Element] { monitor.withLock { elements } }
}

/// Waits (polling, bounded) until `condition` holds; for conditions that have no event to await.
func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return true
}

/// Resumes the awaiting task once `latch` opens, from a thread of its own (never blocking a task).
func awaitOpening(_ latch: ThreadLatch) async {
    await withCheckedContinuation { continuation in
        _ = Threads.start(name: "test-latch") {
            latch.wait()
            continuation.resume()
        }
    }
}

/// Whether `latch` opens within `seconds` (scaled for sanitizer builds). A test asserts the answer,
/// so work that never happens fails that test at the bound instead of hanging until the time limit.
func opens(_ latch: ThreadLatch, within seconds: Double) async -> Bool {
    await withCheckedContinuation { continuation in
        let outcome = FirstOutcome(continuation)
        _ = Threads.start(name: "test-latch") {
            latch.wait()
            outcome.settle(true)
        }
        Task {
            try? await Task.sleep(for: .seconds(TestTime.seconds(seconds)))
            outcome.settle(false)
        }
    }
}

/// Resumes a continuation with the first of several outcomes; later ones are dropped.
///
/// `@unchecked Sendable`: `monitor` guards `continuation`. A pthread mutex, not Synchronization's
/// `Mutex`, whose futex ThreadSanitizer does not see (docs/RELIABILITY.md, "Sanitizers").
final class FirstOutcome: @unchecked Sendable {
    private let monitor = ThreadMonitor()
    private var continuation: CheckedContinuation<Bool, Never>?

    init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = continuation }

    func settle(_ value: Bool) {
        let first = monitor.withLock { () -> CheckedContinuation<Bool, Never>? in
            defer { continuation = nil }
            return continuation
        }
        first?.resume(returning: value)
    }
}
