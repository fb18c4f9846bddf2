import SeedwatchTestSupport
import Testing

/// The contract tests run against PostgreSQL only where its server binaries are installed; this
/// test is what shows the absence as a skip (CI installs them and fails on any skip).
@Suite("PostgreSQL in the contract tests")
struct PostgresContractTests {
    @Test("the contract tests include the PostgreSQL implementation", .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)"))
    func included() {
        #expect(StateImplementation.all.map(\.name).contains(StateImplementation.postgres.name))
        // The stored-results contract runs where an index stores them: on PostgreSQL.
        #expect(StateImplementation.all.filter(\.storesResults).map(\.name) == [StateImplementation.postgres.name])
    }
}
