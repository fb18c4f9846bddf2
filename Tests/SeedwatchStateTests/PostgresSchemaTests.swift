import Foundation
import SeedwatchCore
import SeedwatchPostgres
import SeedwatchTestSupport
import Testing

@Suite("PostgreSQL schema", .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)"))
struct PostgresSchemaTests {
    static func session(_ url: String) throws -> PostgresSession {
        PostgresSession(location: try PostgresLocation(url: url), password: nil)
    }

    /// Without the advisory lock, two `CREATE TABLE`s of one name at once fail on the catalogue's
    /// unique index, and both daemons would insert version 1 (a primary-key violation for one).
    @Test("migrations started at once by several daemons all succeed and create the schema once")
    func concurrentMigrations() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let sessions = try (0..<4).map { _ in try Self.session(database.url) }
        // Connected first, so the migrations themselves start together.
        for session in sessions { #expect(try PostgresSchema.version(session) == 0) }
        let found = try await withThrowingTaskGroup(of: Int.self) { group in
            for session in sessions {
                group.addTask { try await OffPool.run { try PostgresSchema.migrate(session) } }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(found.sorted() == [0, PostgresSchema.currentVersion, PostgresSchema.currentVersion, PostgresSchema.currentVersion])
        let versions = try await server.runSQL("SELECT version FROM schema_version ORDER BY version", database: database.name)
        #expect(versions.split(separator: "\n") == (1...PostgresSchema.currentVersion).map { Substring("\($0)") })
        for session in sessions { #expect(try PostgresSchema.version(session) == PostgresSchema.currentVersion) }
    }

    @Test("a database of a newer seedwatch is refused, not written")
    func newerSchema() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let session = try Self.session(database.url)
        try await OffPool.run { try PostgresSchema.migrate(session) }
        try await server.runSQL("INSERT INTO schema_version(version) VALUES(\(PostgresSchema.currentVersion + 1))", database: database.name)
        #expect(throws: PostgresStateError.self) { try PostgresSchema.migrate(session) }
    }

    @Test("a session reconnects after its connection was cut")
    func reconnects() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let session = try Self.session(database.url)
        let state = try await OffPool.run { try PostgresState.open(session: session) }
        try state.store.save(namespace: "n", key: "k", value: [1])
        try await server.runSQL("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.name)' AND pid <> pg_backend_pid()")
        // pg_terminate_backend only signals: the cut is done when the backend is gone.
        var left = "1"
        for _ in 0..<200 where left != "0" {
            left = try await server.runSQL("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '\(database.name)' AND pid <> pg_backend_pid()")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(left == "0")
        // The first call after the cut may fail (the pipeline retries); a later one reconnects.
        _ = try? state.store.load(namespace: "n", key: "k")
        #expect(try state.store.load(namespace: "n", key: "k") == [1])
    }
}
