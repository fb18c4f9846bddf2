import SeedwatchIngest
import Testing
import SeedwatchCore

/// Events received so far, shared between the collecting task and the one reporting a timeout.
private final class Received<Event: Sendable>: Sendable {
    let events = Locked<[Event]>([])
}

struct EventTimeout: Error, CustomStringConvertible {
    var seen: String
    var description: String { "timed out; events seen: \(seen)" }
}

/// Reads batches from `stream` until `isComplete` holds for everything read in this call, racing a
/// deadline: the test waits for the events it needs and never for a fixed time.
func awaitEvents<Event: Sendable>(
    _ stream: AsyncStream<[Event]>, timeout: Duration = .seconds(10),
    until isComplete: @escaping @Sendable ([Event]) -> Bool
) async throws -> [Event] {
    let received = Received<Event>()
    return try await withThrowingTaskGroup(of: [Event]?.self) { group in
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
        guard let events = first else { throw EventTimeout(seen: "\(received.events.withLock { $0 })") }
        return events
    }
}

/// Waits until `event` has been seen.
func awaitEvents(_ stream: AsyncStream<[WatchEvent]>, through event: WatchEvent) async throws -> [WatchEvent] {
    try await awaitEvents(stream) { $0.contains(event) }
}

/// Whether `stream` ends within `limit` (iteration is cancelled at the limit otherwise).
func ends<Element: Sendable>(_ stream: AsyncStream<Element>, within limit: Duration = .seconds(10)) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            for await _ in stream {}
            return !Task.isCancelled
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}
