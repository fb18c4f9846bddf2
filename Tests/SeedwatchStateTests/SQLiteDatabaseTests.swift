import Testing
@testable import SeedwatchState

/// Statements are prepared once and reused: reuse must never carry values, rows or errors from
/// one call into the next.
@Suite("SQLiteDatabase statement reuse")
struct SQLiteDatabaseTests {
    private func withDatabase(_ body: (SQLiteDatabase) throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let database = try SQLiteDatabase(path: folder + "/test.sqlite")
            try database.execute("CREATE TABLE t(k TEXT PRIMARY KEY, v INTEGER)")
            try body(database)
        }
    }

    @Test func aReusedStatementSeesOnlyItsOwnValues() async throws {
        try await withDatabase { db in
            for i in 0..<5 { try db.query("INSERT INTO t(k, v) VALUES (?, ?)", [.text("k\(i)"), .integer(Int64(i))]) }
            for i in 0..<5 {
                #expect(try db.query("SELECT v FROM t WHERE k = ?", [.text("k\(i)")]) == [[.integer(Int64(i))]])
            }
            // Fewer values than parameters: the missing one is NULL, not the last call's value.
            try db.query("INSERT INTO t(k, v) VALUES (?, ?)", [.text("k9")])
            #expect(try db.query("SELECT v FROM t WHERE k = ?", [.text("k9")]) == [[.null]])
        }
    }

    @Test func aFailedStepLeavesTheStatementUsable() async throws {
        try await withDatabase { db in
            let insert = "INSERT INTO t(k, v) VALUES (?, ?)"
            try db.query(insert, [.text("a"), .integer(1)])
            #expect(throws: StateError.self) { try db.query(insert, [.text("a"), .integer(2)]) }
            try db.query(insert, [.text("b"), .integer(3)])
            #expect(try db.query("SELECT k, v FROM t ORDER BY k") == [[.text("a"), .integer(1)], [.text("b"), .integer(3)]])
            // A failed transaction is rolled back and the next one (same statements) commits.
            #expect(throws: StateError.self) {
                try db.transaction([(insert, [.text("c"), .integer(4)]), (insert, [.text("a"), .integer(5)])])
            }
            try db.transaction([(insert, [.text("c"), .integer(6)])])
            #expect(try db.query("SELECT v FROM t WHERE k = ?", [.text("c")]) == [[.integer(6)]])
        }
    }

    @Test func moreDistinctStatementsThanTheCacheHoldsStillRun() async throws {
        try await withDatabase { db in
            for i in 0..<200 { try db.query("INSERT INTO t(k, v) VALUES ('n\(i)', \(i))") }
            for i in stride(from: 0, to: 200, by: 7) {
                #expect(try db.query("SELECT v FROM t WHERE k = 'n\(i)'") == [[.integer(Int64(i))]])
            }
        }
    }
}
