import Foundation
import Glibc
import SeedwatchCore

/// Runs `body` with a fresh folder under the system temporary folder and removes it afterwards.
@discardableResult
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("seedwatch-systemd-tests-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Sets environment variables for the duration of `body`, then puts back what was there.
/// The environment is process-wide: only suites marked `.serialized` that own these variables
/// may use this.
func withEnvironment<T>(_ variables: [String: String?], _ body: () async throws -> T) async rethrows -> T {
    var saved: [String: String?] = [:]
    for (name, value) in variables {
        saved[name] = getenv(name).map { String(cString: $0) }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
    defer {
        for (name, value) in saved {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
    return try await body()
}

struct HelperError: Error, CustomStringConvertible {
    var description: String
}

/// Resumes a continuation with the first value delivered; later ones are dropped.
final class DeliverOnce<T: Sendable>: Sendable {
    private let state = Locked<(continuation: CheckedContinuation<T, Never>?, early: T?, done: Bool)>((nil, nil, false))

    func install(_ continuation: CheckedContinuation<T, Never>) {
        let early = state.withLock { state -> T? in
            if state.done { return state.early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func deliver(_ value: T) {
        let continuation = state.withLock { state -> CheckedContinuation<T, Never>? in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = value
                return nil
            }
            return continuation
        }
        continuation?.resume(returning: value)
    }
}
