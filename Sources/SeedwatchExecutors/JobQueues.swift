import DequeModule
import HeapModule

/// Delayed elements keyed by (deadline, insertion order), so that equal deadlines come out in
/// the order they went in.
struct DeadlineHeap<Element> {
    private struct Entry: Comparable {
        let deadline: UInt64
        let sequence: UInt64
        let element: Element

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) == (rhs.deadline, rhs.sequence)
        }
    }

    private var entries = Heap<Entry>()
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var earliestDeadline: UInt64? { entries.min?.deadline }

    mutating func insert(_ element: Element, deadline: UInt64) {
        entries.insert(Entry(deadline: deadline, sequence: nextSequence, element: element))
        nextSequence &+= 1
    }

    /// Removes and returns the earliest element if its deadline is at or before `now`.
    mutating func popDue(now: UInt64) -> Element? {
        guard let first = entries.min, first.deadline <= now else { return nil }
        return entries.removeMin().element
    }
}
