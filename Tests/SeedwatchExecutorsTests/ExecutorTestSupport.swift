import Glibc
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
