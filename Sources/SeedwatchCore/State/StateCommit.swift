/// A write queued for the next group commit (`ProcessorStateStore.enqueue`): `wait()` returns
/// once it is durable and throws if its batch failed (then none of the batch was written).
public struct StateCommit: Sendable {
    private let body: @Sendable () async throws -> Void

    public init(wait: @escaping @Sendable () async throws -> Void) {
        body = wait
    }

    public func wait() async throws {
        try await body()
    }

    /// A write that was durable before the call returned.
    public static let done = StateCommit {}

    public static func failed(_ error: any Error) -> StateCommit {
        StateCommit { throw error }
    }
}
