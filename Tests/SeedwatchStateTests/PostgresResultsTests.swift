import Foundation
import SeedwatchCore
import SeedwatchPostgres
import SeedwatchTestSupport
import Testing

/// The results a cluster stores in PostgreSQL beside the dashboard's rows (`PostgresDocumentIndex`).
@Suite("PostgreSQL: stored results", .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)"))
struct PostgresResultsTests {
    static let result: [UInt8] = Array(#"{"id":"doc-1","status":"processed"}"#.utf8) + [0x0A]

    static func document(_ id: String, path: String) -> IndexedDocument {
        IndexedDocument(id: id, path: path, title: nil, topic: nil, topicLabel: nil, alerts: [], time: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("a document's row and its result are stored together or not at all; a standby stores neither")
    func togetherOrNotAtAll() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let session = PostgresSession(location: try PostgresLocation(url: database.url), password: nil)
        let index = try await OffPool.run { try PostgresState.open(session: session) }.index
        let failures = Locked<[String]>([])
        let failed: @Sendable (any Error) -> Void = { error in failures.withLock { $0.append("\(error)") } }
        let changes: [DocumentIndexChange] = [.record(Self.document("doc-1", path: "in/1.txt")), .result(id: "doc-1", bytes: Self.result)]

        // PostgreSQL refuses a NUL in text: the last change fails, and the two before it with it.
        index.enqueue(changes + [.record(Self.document("doc-2", path: "in/\u{0}.txt"))], failed: failed)
        #expect(failures.withLock { $0.count } == 1)
        #expect(try index.result(id: "doc-1") == nil)
        #expect(try index.documents(limit: 5, before: nil).isEmpty)

        session.setFence(.standby(node: "b"))
        index.enqueue(changes, failed: failed)
        #expect(failures.withLock { $0.last?.contains("standby") } == true, "\(failures.withLock { $0 })")
        #expect(try index.result(id: "doc-1") == nil)
        #expect(try index.documents(limit: 5, before: nil).isEmpty)

        session.setFence(nil)
        index.enqueue(changes, failed: failed)
        #expect(failures.withLock { $0.count } == 2)
        #expect(try index.result(id: "doc-1") == Self.result)
        #expect(try index.documents(limit: 5, before: nil).map(\.id) == ["doc-1"])
    }
}
