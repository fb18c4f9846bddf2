import SeedwatchIngest
import Synchronization
import Testing

/// Events received so far, shared between the collecting task and the one reporting a timeout.
private final class Received: Sendable {
    let events = Mutex<[WatchEvent]>([])
}

struct EventTimeout: Error, CustomStringConvertible {
    var seen: [WatchEvent]
    var description: String { "timed out; events seen: \(seen)" }
}

/// Reads batches from `stream` until `isComplete` holds for everything read in this call, racing a
/// deadline: the test waits for the events it needs and never for a fixed time.
func awaitEvents(
    _ stream: AsyncStream<[WatchEvent]>, timeout: Duration = .seconds(10),
    until isComplete: @escaping @Sendable ([WatchEvent]) -> Bool
) async throws -> [WatchEvent] {
    let received = Received()
    return try await withThrowingTaskGroup(of: [WatchEvent]?.self) { group in
        group.addTask {
            for await batch in stream {
                let all = received.events.withLock { events in
                    events += batch
                    return events
                }
                if isComplete(all) { return all }
            }
            return nil  // the stream ended
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        guard let events = first else { throw EventTimeout(seen: received.events.withLock { $0 }) }
        return events
    }
}

/// Waits until `event` has been seen.
func awaitEvents(_ stream: AsyncStream<[WatchEvent]>, through event: WatchEvent) async throws -> [WatchEvent] {
    try await awaitEvents(stream) { $0.contains(event) }
}
