import Testing
@testable import SeedwatchExecutors

/// The executors' delayed jobs: earliest deadline first, equal deadlines in the order they came.
@Suite struct JobQueuesTests {
    @Test func delayedElementsComeOutByDeadlineThenArrival() {
        var heap = DeadlineHeap<String>()
        heap.insert("c1", deadline: 30)
        heap.insert("a", deadline: 10)
        heap.insert("c2", deadline: 30)
        heap.insert("b", deadline: 20)
        heap.insert("c3", deadline: 30)
        #expect(heap.earliestDeadline == 10 && heap.count == 5)
        #expect(heap.popDue(now: 9) == nil)
        var due: [String] = []
        while let element = heap.popDue(now: 30) { due.append(element) }
        #expect(due == ["a", "b", "c1", "c2", "c3"])
        #expect(heap.isEmpty && heap.earliestDeadline == nil)
    }
}
