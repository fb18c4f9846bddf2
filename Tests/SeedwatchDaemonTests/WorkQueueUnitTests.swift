import SeedwatchIngest
import Testing
@testable import SeedwatchDaemon

/// `WorkQueue` alone, its rescans listing a fixed folder.
@Suite("WorkQueue")
struct WorkQueueUnitTests {
    static func folder(_ names: [String]) -> [ScannedFile] {
        names.enumerated().map { ScannedFile(path: $0.element, modifiedNanoseconds: Int64($0.offset)) }
    }

    @Test("a queue of 3 below a folder of 10 reaches every name, even when each rescan lists the names already done")
    func smallerThanTheFolder() async {
        let names = (0..<10).map { "doc-\($0).txt" }
        let queue = WorkQueue(capacity: 3) { Self.folder(names) }
        await queue.enqueue(names)
        #expect(await queue.depth == 3)
        var delivered: [String] = []
        while Set(delivered).count < names.count, delivered.count < 100 {
            guard let name = await queue.next() else { break }
            delivered.append(name)
            await queue.complete(name)
        }
        #expect(Set(delivered) == Set(names))
        #expect(delivered.count <= 2 * names.count, "\(delivered)")
    }

    @Test("two names that differ only in Unicode normalisation are queued as two")
    func normalisationForms() async {
        let queue = WorkQueue(capacity: 10) { [] }
        await queue.enqueue(["caf\u{E9}.txt", "cafe\u{301}.txt"])
        #expect(await queue.depth == 2)
        let first = await queue.next()
        let second = await queue.next()
        let bytes = [first, second].compactMap { $0 }.map { Array($0.utf8) }
        #expect(Set(bytes) == [Array("caf\u{E9}.txt".utf8), Array("cafe\u{301}.txt".utf8)])
    }

    @Test("once closed, nothing more is handed out, though names are still queued")
    func closedTakesNothing() async {
        let queue = WorkQueue(capacity: 10) { [] }
        await queue.enqueue(["a.txt", "b.txt"])
        await queue.close()
        #expect(await queue.next() == nil)
        #expect(await queue.depth == 2)
    }
}
