import SeedwatchCore
@testable import SeedwatchDaemon
import SeedwatchIngest
import SeedwatchTestSupport
import Testing

/// The queue of names between the watcher and the pipeline: order, one entry per name, the
/// cap on held names, a consumer waiting for work, and closing.
@Suite("Work queue, unit", .timeLimit(.minutes(TestTime.minutes(1))))
struct WorkQueueBehaviourTests {
    @Test func namesAreHandedOutInArrivalOrder() async {
        let queue = WorkQueue(capacity: 100) { [] }
        await queue.enqueue("b.txt")
        await queue.enqueue(["a.txt", "d.txt"])
        await queue.enqueue("c.txt")
        #expect(await queue.depth == 4)
        var taken: [String?] = []
        for _ in 0..<4 { taken.append(await queue.next()) }
        #expect(taken == ["b.txt", "a.txt", "d.txt", "c.txt"])
        #expect(await queue.depth == 0)
        #expect(await queue.inFlightCount == 4)
    }

    @Test func aNameQueuedTwiceIsHandedOutOnce() async {
        let queue = WorkQueue(capacity: 100) { [] }
        await queue.enqueue(["a.txt", "b.txt", "a.txt"])
        await queue.enqueue("b.txt")
        #expect(await queue.depth == 2)
        #expect(await queue.next() == "a.txt")
        #expect(await queue.next() == "b.txt")
        #expect(await queue.depth == 0)
        #expect(await queue.complete("a.txt") == false)
        #expect(await queue.complete("b.txt") == true)
    }

    /// A name that arrives again while it is processed (the file changed meanwhile) is not
    /// handed out twice at once, but once more after it is done.
    @Test func aNameArrivingWhileInFlightComesBackOnceWhenDone() async {
        let queue = WorkQueue(capacity: 100) { [] }
        await queue.enqueue("a.txt")
        #expect(await queue.next() == "a.txt")
        await queue.enqueue("a.txt")
        await queue.enqueue("a.txt")
        #expect(await queue.depth == 0)
        #expect(await queue.complete("a.txt") == false)
        #expect(await queue.depth == 1)
        #expect(await queue.next() == "a.txt")
        #expect(await queue.complete("a.txt") == true)
        #expect(await queue.inFlightCount == 0)
    }

    @Test func completeSaysIdleOnlyWhenNothingIsQueuedOrInFlight() async {
        let queue = WorkQueue(capacity: 100) { [] }
        await queue.enqueue(["a.txt", "b.txt", "c.txt"])
        #expect(await queue.next() == "a.txt")
        #expect(await queue.next() == "b.txt")
        #expect(await queue.complete("a.txt") == false)  // b in flight, c queued
        #expect(await queue.complete("b.txt") == false)  // c queued
        #expect(await queue.next() == "c.txt")
        #expect(await queue.complete("c.txt") == true)
    }

    /// Past `capacity` names are dropped, not held: the depth never exceeds it. Once the queue
    /// has drained, the rescan (the watch folder listed again) brings the dropped names back.
    @Test func namesBeyondTheCapAreDroppedAndComeBackThroughTheRescan() async {
        let folder = Folder(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"])
        let queue = WorkQueue(capacity: 2) { scanned(folder.list()) }
        await queue.enqueue(folder.list())
        #expect(await queue.depth == 2)
        var handedOut: [String] = []
        while handedOut.count < 5, let name = await queue.next() {
            #expect(await queue.depth <= 2)
            handedOut.append(name)
            folder.remove(name)  // processed: the file leaves the folder
            await queue.complete(name)
        }
        #expect(handedOut.prefix(2) == ["a.txt", "b.txt"])
        #expect(handedOut.sorted() == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"])
        #expect(folder.listings >= 1)
    }

    /// `next()` on an empty queue waits, and returns the first name enqueued after.
    @Test func aWaitingConsumerGetsTheNextName() async {
        let signal = RescanSignal()
        let queue = WorkQueue(capacity: 100) { scanned(signal.rescanned()) }
        let consumer = await signal.consumerWaiting(on: queue)
        await queue.enqueue("late.txt")
        #expect(await consumer.value == "late.txt")
        #expect(await queue.inFlightCount == 1)
    }

    @Test func aRescanRequestWakesAWaitingConsumer() async {
        let signal = RescanSignal(listings: [[], ["found.txt"]])
        let queue = WorkQueue(capacity: 100) { scanned(signal.rescanned()) }
        let consumer = await signal.consumerWaiting(on: queue)
        await queue.requestRescan()
        #expect(await consumer.value == "found.txt")
    }

    /// Shutdown: a consumer waiting for work gets nil, and nothing is queued afterwards.
    @Test func closingReleasesAWaitingConsumerAndRefusesNewNames() async {
        let signal = RescanSignal()
        let queue = WorkQueue(capacity: 100) { scanned(signal.rescanned()) }
        let consumer = await signal.consumerWaiting(on: queue)
        await queue.close()
        #expect(await consumer.value == nil)
        await queue.enqueue("after.txt")
        #expect(await queue.depth == 0)
        #expect(await queue.next() == nil)
    }

    /// A hard stop cancels the consumer's task: its wait ends with nil and the queue is closed.
    @Test func cancellingAWaitingConsumerClosesTheQueue() async {
        let signal = RescanSignal()
        let queue = WorkQueue(capacity: 100) { scanned(signal.rescanned()) }
        let consumer = await signal.consumerWaiting(on: queue)
        consumer.cancel()
        #expect(await consumer.value == nil)
        #expect(await queue.next() == nil)
    }
}

/// A watch folder for the rescan: the names it holds, and how often it was listed.
private final class Folder: Sendable {
    private let state: Locked<(names: [String], listings: Int)>

    init(_ names: [String]) { state = Locked((names, 0)) }

    func list() -> [String] {
        state.withLock { state in
            state.listings += 1
            return state.names
        }
    }

    func remove(_ name: String) { state.withLock { state in state.names.removeAll { $0 == name } } }

    var listings: Int { state.withLock { $0.listings } }
}

/// Puts a consumer into `next()`'s wait without sleeping: the consumer's `next()` finds the
/// queue empty and calls the rescan, which reports it; the queue is an actor, so whatever the
/// test does to it next runs only once that `next()` has suspended in its wait.
private final class RescanSignal: Sendable {
    private let listings: Locked<[[String]]>
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    /// `listings`: what each rescan returns in turn (then nothing); the first must be empty.
    init(listings: [[String]] = [[]]) {
        self.listings = Locked(listings)
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        self.stream = stream
        self.continuation = continuation
    }

    func rescanned() -> [String] {
        let names = listings.withLock { $0.isEmpty ? [] : $0.removeFirst() }
        continuation.yield()
        return names
    }

    func consumerWaiting(on queue: WorkQueue) async -> Task<String?, Never> {
        await queue.requestRescan()  // no consumer yet: the next `next()` rescans
        let consumer = Task { await queue.next() }
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
        return consumer
    }
}

/// The rescan's view of a folder listing: one mtime for all, so the queue order is the names'
/// (a file's place must not move as others leave the folder, as with real mtimes).
private func scanned(_ names: [String]) -> [ScannedFile] {
    names.map { ScannedFile(path: $0, modifiedNanoseconds: 0) }
}
