import Foundation
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchPipeline
import SeedwatchPostgres
import SeedwatchTestSupport
import Testing

/// Alerts in a cluster: the database decides, and a node's `alerts.jsonl` gets the alerts that
/// node raised, so that across the nodes' files each alert is once.
@Suite("Alerts shared by the nodes of a cluster", .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)"))
struct MirroredAlertLogTests {
    static let alert = RaisedAlert(
        alertClass: "new_topic", messageID: String(repeating: "0", count: 32), message: "new topic t1",
        fields: ["TOPIC_ID": "t1"], record: .object(["topic_id": .string("t1"), "document_id": .string("harbour-1.txt.04b7dd86")])
    )

    @Test("an alert raised again by another node (it took the document of a node that died) stays out of its file; the same node's replay completes its own")
    func eachAlertOnceAcrossFiles() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let location = try PostgresLocation(url: database.url)
        let folders = (FileManager.default.temporaryDirectory.path + "/alerts-a-\(getpid())", FileManager.default.temporaryDirectory.path + "/alerts-b-\(getpid())")
        for folder in [folders.0, folders.1] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        defer { for folder in [folders.0, folders.1] { try? FileManager.default.removeItem(atPath: folder) } }
        let (a, b) = try await OffPool.run {
            (try PostgresState.open(session: PostgresSession(location: location, password: nil), node: "a"),
             try PostgresState.open(session: PostgresSession(location: location, password: nil), node: "b"))
        }
        let fileA = AlertFile(directory: folders.0)
        let fileB = AlertFile(directory: folders.1)

        // a raised it into the database and was killed before its file: its replay completes the file.
        #expect(try a.alerts.appendIfNew(Self.alert, time: Date()))
        try MirroredAlertLog(database: a.alerts, file: fileA).append(Self.alert, time: Date())
        // b took the same document again: the database has the alert from a, b's file stays without it.
        try MirroredAlertLog(database: b.alerts, file: fileB).append(Self.alert, time: Date())

        #expect(try fileA.alerts().count == 1)
        #expect(try fileB.alerts().isEmpty)
        #expect(try await server.runSQL("SELECT node FROM alerts", database: database.name) == "a\n")
    }
}
