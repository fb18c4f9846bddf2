import Foundation
import Testing
import SeedwatchCore
import SeedwatchPipeline
@testable import SeedwatchState

/// The processor runner over the real state database: the state writes of a document's staged
/// processors are waited for together after its last processor, so they share one transaction.
@Suite("ProcessorRunner and the group commit")
struct RunnerStateCommitTests {
    struct Written: ProcessorOutput {
        var by: String
        var saw: [String]
    }

    /// Writes one log row per document in its turn, as the topic tracker and the registry do.
    struct StagedWriter: StagedProcessor {
        let name: String
        let store: any ProcessorStateStore
        var dependencies: [ProcessorDependency] = []

        func prepare(_ input: ProcessorInput) async throws -> UInt64 { input.document.sequence }

        func complete(_ sequence: UInt64, _ input: ProcessorInput) async throws -> any ProcessorOutput {
            try await take(sequence, input).output
        }

        func take(_ sequence: UInt64, _ input: ProcessorInput) async throws -> StagedTurn {
            let commit = store.enqueue(namespace: name, [.save(key: "log/\(sequence)", value: [1])], generation: store.generation)
            return StagedTurn(output: Written(by: name, saw: input.upstream.keys.sorted()), commit: commit)
        }
    }

    private func withRunner(_ body: (SQLiteLedger, ProcessorRunner) async throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try SQLiteLedger(stateDirectory: folder)
            let store = SQLiteStateStore(database: ledger.database, commits: ledger.commits)
            let runner = try ProcessorRunner(entries: [
                .init(processor: StagedWriter(name: "entities", store: store), timeout: .seconds(30)),
                .init(processor: StagedWriter(name: "topics", store: store, dependencies: [.optional("entities")]), timeout: .seconds(30)),
            ])
            try await body(ledger, runner)
        }
    }

    @Test("a document's staged processors write their state in one transaction, durable when the runner returns")
    func oneTransactionPerDocument() async throws {
        try await withRunner { ledger, runner in
            let outcomes = await runner.run(.fromText("a document", sequence: 0))
            #expect(outcomes.failures.isEmpty)
            let topics = try #require(try outcomes.byName["topics"]?.get() as? Written)
            #expect(topics.saw == ["entities"], "topics ran on the output of entities")
            #expect(ledger.commits.batchesWritten == 1)
            let rows = try ledger.database.query("SELECT namespace, key FROM processor_state ORDER BY namespace")
            #expect(rows == [[.text("entities"), .text("log/0")], [.text("topics"), .text("log/0")]])
        }
    }

    @Test("when the state cannot be written, each processor whose write was lost fails")
    func aLostWriteFailsItsProcessors() async throws {
        try await withRunner { ledger, runner in
            try ledger.database.execute("PRAGMA query_only = 1")
            let outcomes = await runner.run(.fromText("a document", sequence: 0))
            try ledger.database.execute("PRAGMA query_only = 0")
            #expect(outcomes.failures.keys.sorted() == ["entities", "topics"])
            #expect(outcomes.failures["topics"]?.code == "failed")
            #expect(try ledger.database.query("SELECT key FROM processor_state") == [])
        }
    }
}
