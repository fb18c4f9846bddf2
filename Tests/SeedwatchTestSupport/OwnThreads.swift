import SeedwatchExecutors
import Testing

/// For tests with long stretches of synchronous work (a tracker fed thousands of documents, a
/// registry replayed, a 10 MB text): each test case runs on threads of its own instead of
/// Swift's pool.
///
/// Why: the pool has one thread per core and never preempts. On this 2-core machine, two such
/// tests on it held both threads for tens of seconds, every other test in the process stood
/// still meanwhile, and time limits meant to catch hangs ran out on work that never got a
/// thread. Off the pool, the kernel shares the cores among them and everything else.
public struct OwnThreadsTrait: TestTrait, SuiteTrait, TestScoping {
    /// Threads that do only this: a test's threads never wait behind the daemon code's pool.
    private static let pool = BlockingThreadPool(name: "test-own", keepAlive: .seconds(2))

    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Called for the suite (no test case) and for each test case: the preference is set once, per case.
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(SerialThreadQueue(pool: Self.pool)) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    /// Runs each test case on threads of its own, off Swift's pool (`OwnThreadsTrait`).
    public static var ownThreads: Self { Self() }
}
