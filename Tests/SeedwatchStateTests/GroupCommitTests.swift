import Foundation
import Testing
import SeedwatchCore
@testable import SeedwatchState

/// Group commit over the real state database: the writes of documents that finish together share
/// one transaction; a failed transaction fails every write in it and leaves none of it.
@Suite("GroupCommit")
struct GroupCommitTests {
    private func withState(_ body: (SQLiteLedger, SQLiteStateStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try SQLiteLedger(stateDirectory: folder)
            try await body(ledger, SQLiteStateStore(database: ledger.database, commits: ledger.commits))
        }
    }

    private static func entry(_ path: String) -> LedgerEntry {
        LedgerEntry(path: path, size: 1, modifiedNanoseconds: 2, sha256: "sha-\(path)", status: .processed, resultID: "r-\(path)")
    }

    /// Waits for every commit at once, as the documents of one burst do; the outcome of each.
    private static func waitAll(_ commits: [StateCommit]) async -> [Bool] {
        await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, commit) in commits.enumerated() {
                group.addTask {
                    do {
                        try await commit.wait()
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            var outcomes = Array(repeating: false, count: commits.count)
            for await (index, succeeded) in group { outcomes[index] = succeeded }
            return outcomes
        }
    }

    @Test("the writes of several documents queued meanwhile go into one transaction, in queue order")
    func severalDocumentsInOneTransaction() async throws {
        try await withState { ledger, store in
            let commits = [
                store.enqueue(namespace: "topics", [.save(key: "log/1", value: [1]), .save(key: "recent/1", value: [1])], generation: 0),
                store.enqueue(namespace: "entities", [.save(key: "log/1", value: [2])], generation: 0),
                store.enqueue(namespace: "topics", [.save(key: "log/2", value: [3]), .remove(key: "log/1"), .save(key: "recent/1", value: [9])], generation: 0),
                ledger.commits.enqueue(Self.entry("a.txt")),
            ]
            // Queued, not written: reads see them already.
            #expect(ledger.commits.batchesWritten == 0)
            #expect(try store.load(namespace: "topics", key: "recent/1") == [9])
            #expect(try store.keys(namespace: "topics") == ["log/2", "recent/1"])
            #expect(try ledger.entry(path: "a.txt") == nil)

            #expect(await Self.waitAll(commits) == [true, true, true, true])
            #expect(ledger.commits.batchesWritten == 1)
            let rows = try ledger.database.query("SELECT namespace, key, value FROM processor_state ORDER BY namespace, key")
            #expect(rows == [
                [.text("entities"), .text("log/1"), .blob([2])],
                [.text("topics"), .text("log/2"), .blob([3])],
                [.text("topics"), .text("recent/1"), .blob([9])],
            ])
            #expect(try ledger.entry(path: "a.txt")?.resultID == "r-a.txt")
            #expect(ledger.commits.pending(namespace: "topics").isEmpty)

            // A write queued after the batch is the next batch.
            try await store.enqueue(namespace: "topics", [.save(key: "log/3", value: [4])], generation: 0).wait()
            #expect(ledger.commits.batchesWritten == 2)
        }
    }

    @Test("a failed batch fails every waiter and writes none of it; later state on the lost writes is refused")
    func aFailureFailsTheWholeBatch() async throws {
        try await withState { ledger, store in
            try store.save(namespace: "topics", key: "meta", value: [1])
            // A real failure: the connection refuses to change the database.
            try ledger.database.execute("PRAGMA query_only = 1")
            let commits = [
                store.enqueue(namespace: "topics", [.save(key: "log/1", value: [1]), .save(key: "meta", value: [2])], generation: 0),
                store.enqueue(namespace: "entities", [.save(key: "log/1", value: [2])], generation: 0),
                ledger.commits.enqueue(Self.entry("a.txt")),
            ]
            #expect(await Self.waitAll(commits) == [false, false, false])
            try ledger.database.execute("PRAGMA query_only = 0")

            #expect(try ledger.database.query("SELECT namespace, key, value FROM processor_state") == [[.text("topics"), .text("meta"), .blob([1])]])
            #expect(try ledger.entry(path: "a.txt") == nil)
            #expect(try store.load(namespace: "topics", key: "meta") == [1], "the lost write is no longer read")
            #expect(store.generation == 1)
            // Computed on the lost state: refused without being queued.
            await #expect(throws: GroupCommit.Failure.self) {
                try await store.enqueue(namespace: "topics", [.save(key: "log/2", value: [3])], generation: 0).wait()
            }
            #expect(try store.load(namespace: "topics", key: "log/2") == nil)
            // On the reloaded state, and the ledger row again (the pipeline retries it): written.
            #expect(await Self.waitAll([
                store.enqueue(namespace: "topics", [.save(key: "log/1", value: [5])], generation: 1), ledger.commits.enqueue(Self.entry("a.txt")),
            ]) == [true, true])
            #expect(try store.load(namespace: "topics", key: "log/1") == [5])
            #expect(try ledger.entry(path: "a.txt") != nil)
        }
    }

    @Test("a burst of concurrent writers: every write lands and every waiter wakes")
    func concurrentWritersShareTransactions() async throws {
        try await withState { ledger, store in
            let writers = 200
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<writers {
                    group.addTask {
                        let commit = store.enqueue(namespace: "n", [.save(key: "k\(index)", value: [UInt8(index % 256)])], generation: 0)
                        try? await commit.wait()
                        try? await ledger.recordGrouped(Self.entry("f\(index)"))
                    }
                }
            }
            let keys = try store.keys(namespace: "n")
            let counts = try ledger.counts()
            #expect(keys.count == writers)
            #expect(counts[.processed] == writers)
            #expect(ledger.commits.pending(namespace: "n").isEmpty)
        }
    }
}
