import Foundation
import Testing
import SeedwatchCore
@testable import SeedwatchState

/// What joins a batch: the dashboard index's rows with the ledger row after them, and the writes
/// of documents in flight, gathered while they are on their way (`GroupCommit`, "Gathering").
@Suite("GroupCommit gathering")
struct GroupCommitGatheringTests {
    /// A ledger, a state store and an index sharing one group commit with the given bound.
    private func withState(
        gatherBound: Duration = .seconds(600), _ body: (SQLiteLedger, SQLiteStateStore, SQLiteDocumentIndex) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { folder in
            let database = try SQLiteDatabase(path: folder + "/" + SQLiteLedger.fileName)
            let commits = GroupCommit(writer: database, gatherBound: gatherBound)
            let ledger = try SQLiteLedger(database: database, commits: commits)
            let index = try SQLiteDocumentIndex(database: database, commits: commits)
            try await body(ledger, SQLiteStateStore(database: database, commits: commits), index)
        }
    }

    private static func entry(_ path: String) -> LedgerEntry {
        LedgerEntry(path: path, size: 1, modifiedNanoseconds: 2, sha256: "sha-\(path)", status: .processed, resultID: "r-\(path)")
    }

    private static func document(_ id: String) -> IndexedDocument {
        IndexedDocument(id: id, path: "\(id).txt", title: "Title \(id)", topic: "t", topicLabel: "label", alerts: ["new_topic"], time: Date(timeIntervalSince1970: 1_800_000_000))
    }

    /// Until `count` waiters hold back for a bigger batch (each step lets the waiting tasks run).
    private static func untilGathering(_ commits: GroupCommit, _ count: Int) async {
        while commits.gatheringWaiters < count { await Task.yield() }
    }

    @Test("a document's index rows go into the transaction of its ledger row; reads see queued rows")
    func indexRowsJoinTheLedgerRow() async throws {
        try await withState { ledger, _, index in
            let failures = Locked<[String]>([])
            let failed: @Sendable (any Error) -> Void = { error in failures.withLock { $0.append("\(error)") } }
            index.enqueue([.record(Self.document("old")), .record(Self.document("new"))], failed: failed)
            index.enqueue([.remove(id: "old"), .alert(IndexedAlert(
                alertClass: "new_topic", topic: "t", topicLabel: "label", documentID: "new", documentPath: "new.txt", time: Date(timeIntervalSince1970: 1_800_000_000)
            ))], failed: failed)
            #expect(ledger.commits.batchesWritten == 0, "queued, not written")
            try await ledger.recordGrouped(Self.entry("new.txt"))
            #expect(ledger.commits.batchesWritten == 1)
            #expect(try ledger.database.query("SELECT id FROM dashboard_documents") == [[.text("new")]])
            #expect(try index.alerts(limit: 10).map(\.documentID) == ["new"])
            #expect(failures.withLock { $0 } == [])

            // Queued without a ledger row after it: a read writes it first.
            index.enqueue([.record(Self.document("later"))], failed: failed)
            #expect(try index.documents(limit: 10, before: nil).map(\.id) == ["later", "new"])
            #expect(ledger.commits.batchesWritten == 2)
        }
    }

    @Test("an index row whose batch fails is reported to its callback, not to the ledger's waiter alone")
    func indexFailureIsReported() async throws {
        try await withState { ledger, _, index in
            let failures = Locked(0)
            index.enqueue([.record(Self.document("a"))]) { _ in failures.withLock { $0 += 1 } }
            try ledger.database.execute("PRAGMA query_only = 1")
            await #expect(throws: GroupCommit.Failure.self) { try await ledger.recordGrouped(Self.entry("a.txt")) }
            try ledger.database.execute("PRAGMA query_only = 0")
            #expect(failures.withLock { $0 } == 1)
            #expect(try index.documents(limit: 10, before: nil) == [])
        }
    }

    @Test("a waiter whose write another waiter's batch took writes nothing more")
    func aTakenWriteDoesNotCommitAgain() async throws {
        try await withState { ledger, store, _ in
            let first = store.enqueue(namespace: "topics", [.save(key: "log/1", value: [1])], generation: 0)
            let second = store.enqueue(namespace: "entities", [.save(key: "log/1", value: [2])], generation: 0)
            try await first.wait()
            #expect(ledger.commits.batchesWritten == 1)
            let third = ledger.commits.enqueue(Self.entry("a.txt"))
            // The second write went with the first: its wait leaves the third for its own waiter.
            try await second.wait()
            #expect(ledger.commits.batchesWritten == 1)
            #expect(try ledger.entry(path: "a.txt") == nil)
            try await third.wait()
            #expect(ledger.commits.batchesWritten == 2)
            #expect(try ledger.entry(path: "a.txt") != nil)
        }
    }

    @Test("with two documents in flight the first waits for the second; both are one transaction")
    func waitersGatherWhileDocumentsAreInFlight() async throws {
        try await withState { ledger, store, _ in
            let commits = ledger.commits
            commits.documentStarted()
            commits.documentStarted()
            let first = store.enqueue(namespace: "topics", [.save(key: "log/1", value: [1])], generation: 0)
            async let firstDone: Void = first.wait()
            await Self.untilGathering(commits, 1)
            #expect(commits.batchesWritten == 0, "the first holds back while the second is on its way")
            try await ledger.recordGrouped(Self.entry("b.txt"))
            try await firstDone
            #expect(commits.batchesWritten == 1)
            #expect(try store.load(namespace: "topics", key: "log/1") == [1])
            #expect(try ledger.entry(path: "b.txt") != nil)
            #expect(commits.gatheringWaiters == 0)
        }
    }

    @Test("a document alone writes at once; one finishing releases those gathering for it")
    func finishingReleasesTheGatherers() async throws {
        try await withState { ledger, _, _ in
            let commits = ledger.commits
            commits.documentStarted()
            try await ledger.recordGrouped(Self.entry("alone.txt"))
            #expect(commits.batchesWritten == 1)

            commits.documentStarted()
            async let waited: Void = ledger.recordGrouped(Self.entry("a.txt"))
            await Self.untilGathering(commits, 1)
            #expect(try ledger.entry(path: "a.txt") == nil)
            // The other document ends without a write (quarantined before its ledger row, say).
            commits.documentFinished()
            try await waited
            #expect(commits.batchesWritten == 2)
            #expect(try ledger.entry(path: "a.txt") != nil)
        }
    }

    @Test("gathering ends at its bound when the other documents never write")
    func theBoundWrites() async throws {
        try await withState(gatherBound: .milliseconds(5)) { ledger, _, _ in
            let commits = ledger.commits
            commits.documentStarted()
            commits.documentStarted()
            try await ledger.recordGrouped(Self.entry("a.txt"))
            #expect(commits.batchesWritten == 1)
            #expect(try ledger.entry(path: "a.txt") != nil)
        }
    }
}
