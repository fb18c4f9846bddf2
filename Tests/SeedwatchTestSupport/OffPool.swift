import Foundation

/// Runs blocking work (a server's start, a child process waited for, a batch of database round
/// trips) on a thread of its own and awaits it. Swift's pool has one thread per core: a test
/// that blocks one there stalls every other test in the process meanwhile (on this 2-core
/// machine, the whole suite), and their time limits run out on work that never got a thread.
public enum OffPool {
    @discardableResult
    public static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
