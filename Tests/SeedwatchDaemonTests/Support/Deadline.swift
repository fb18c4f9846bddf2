import Foundation
import SeedwatchCore
import SeedwatchTestSupport

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Awaits `operation`, failing after `seconds`: a safety net for awaited events, never a delay.
/// No bound is shorter than a minute of wall-clock time: when the suite starts, CPU-heavy tests
/// can hold both cooperative threads of a 2-core machine for half a minute, and this wait's own
/// continuation cannot run meanwhile. The operation runs unstructured so that a wait which
/// ignores cancellation cannot hold the test past the deadline.
func within<T: Sendable>(_ seconds: Double, _ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = Locked<CheckedContinuation<T, any Error>?>(nil)
    let resume: @Sendable (Result<T, any Error>) -> Void = { result in
        once.withLock { continuation in
            continuation?.resume(with: result)
            continuation = nil
        }
    }
    var work: Task<Void, Never>?
    var timer: Task<Void, Never>?
    defer {
        work?.cancel()
        timer?.cancel()
    }
    return try await withCheckedThrowingContinuation { continuation in
        once.withLock { $0 = continuation }
        work = Task {
            do { resume(.success(try await operation())) } catch { resume(.failure(error)) }
        }
        timer = Task {
            try? await Task.sleep(for: .milliseconds(Int(TestTime.seconds(max(seconds, 60)) * 1000)))
            if !Task.isCancelled { resume(.failure(TimedOut(what: what))) }
        }
    }
}
