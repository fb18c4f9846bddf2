import Foundation
import SeedwatchCore
import Testing
@testable import SeedwatchState

/// What only the SQLite ledger has: its file, its errors. The decisions every ledger shares are
/// in Contract/LedgerContractTests.
@Suite("SQLiteLedger")
struct LedgerTests {
    /// The contract suite's rows, so both build entries one way.
    private func entry(_ path: String, sha: String = String(repeating: "a", count: 64), status: LedgerStatus = .processed, code: String? = nil) -> LedgerEntry {
        LedgerContractTests.entry(path, sha: sha, status: status, code: code)
    }

    @Test("creates its folder and database, records an entry and reads it back field for field")
    func recordAndRead() async throws {
        try await withTemporaryDirectory { folder in
            let state = folder + "/nested/state"
            let ledger = try SQLiteLedger(stateDirectory: state)
            #expect(FileManager.default.fileExists(atPath: state + "/" + SQLiteLedger.fileName))
            let original = entry("notes/it's ünïcode; DROP TABLE files.txt", code: nil)
            try ledger.record(original)
            #expect(try ledger.entry(path: original.path) == original)
            #expect(try ledger.entry(path: "other.txt") == nil)

            let quarantined = entry("bad.bin", status: .quarantined, code: "binary")
            try ledger.record(quarantined)
            #expect(try ledger.entry(path: "bad.bin") == quarantined)
        }
    }

    @Test("the connection keeps a 512 KiB page cache, not SQLite's 2 MiB default")
    func pageCacheSize() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try SQLiteLedger(stateDirectory: folder)
            let rows = try ledger.database.query("PRAGMA cache_size")
            #expect(rows == [[.integer(-512)]])
        }
    }

    @Test("a new database has 1 KiB pages; one made with 4 KiB pages keeps them and its rows")
    func pageSize() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try SQLiteLedger(stateDirectory: folder)
            #expect(try ledger.database.query("PRAGMA page_size") == [[.integer(1024)]])
            #expect(try ledger.database.query("PRAGMA wal_autocheckpoint") == [[.integer(4096)]], "4 MiB of WAL between checkpoints")
        }
        try await withTemporaryDirectory { folder in
            // As a database made before the page size was set: SQLite's default, in WAL mode.
            let older = try SQLiteDatabase(path: folder + "/" + SQLiteLedger.fileName)
            try older.execute("PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE kept(value TEXT); INSERT INTO kept VALUES('before');")
            let ledger = try SQLiteLedger(stateDirectory: folder)
            #expect(try ledger.database.query("PRAGMA page_size") == [[.integer(4096)]])
            #expect(try ledger.database.query("PRAGMA wal_autocheckpoint") == [[.integer(1024)]])
            #expect(try ledger.database.query("SELECT value FROM kept") == [[.text("before")]])
            try ledger.record(LedgerEntry(path: "t.txt", size: 1, modifiedNanoseconds: 1, sha256: "s", status: .processed))
            #expect(try ledger.entry(path: "t.txt") != nil)
        }
    }

    @Test("milliseconds of the update time survive")
    func millisecondTimes() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try SQLiteLedger(stateDirectory: folder)
            let time = Date(timeIntervalSince1970: 1_700_000_000.250)
            try ledger.record(LedgerEntry(path: "t.txt", size: 1, modifiedNanoseconds: 1, sha256: "s", status: .processed, updatedAt: time))
            let read = try #require(try ledger.entry(path: "t.txt"))
            #expect(abs(read.updatedAt.timeIntervalSince(time)) < 0.001)
        }
    }

    @Test("reopening the database keeps every entry and the processor state")
    func reopen() async throws {
        try await withTemporaryDirectory { folder in
            let entries = (0..<20).map { entry("file-\($0).txt", sha: String(repeating: "f", count: 63) + String($0 % 10)) }
            do {
                let ledger = try SQLiteLedger(stateDirectory: folder)
                for item in entries { try ledger.record(item) }
                try SQLiteStateStore(database: ledger.database).save(namespace: "topics", key: "k", value: [1, 2, 3])
            }
            let reopened = try SQLiteLedger(stateDirectory: folder)
            for item in entries { #expect(try reopened.entry(path: item.path) == item) }
            #expect(try reopened.counts() == [.processed: 20])
            #expect(try SQLiteStateStore(database: reopened.database).load(namespace: "topics", key: "k") == [1, 2, 3])
        }
    }

    @Test("a state folder that cannot be created is an open error, not a crash")
    func folderInTheWay() async throws {
        try await withTemporaryDirectory { folder in
            try Data("a file, not a folder".utf8).write(to: URL(fileURLWithPath: folder + "/file"))
            #expect {
                try SQLiteLedger(stateDirectory: folder + "/file/state")
            } throws: { error in
                guard case let .open(path, _)? = error as? StateError else { return false }
                return path == folder + "/file/state"
            }
        }
    }

    @Test("a database path that cannot be opened is an open error naming it", arguments: [
        "/nonexistent-seedwatch-folder/seedwatch.sqlite",
        "",
    ])
    func unopenablePath(suffix: String) async throws {
        try await withTemporaryDirectory { folder in
            // A path in a missing folder; or the temporary folder itself (a directory, not a file).
            let path = suffix.isEmpty ? folder : folder + suffix
            #expect {
                let database = try SQLiteDatabase(path: path)
                _ = try SQLiteLedger(database: database)
            } throws: { error in
                guard case let .open(failed, message)? = error as? StateError else { return false }
                return failed == path && !message.isEmpty
            }
        }
    }

    @Test("a file that is not a database is refused with a state error")
    func notADatabase() async throws {
        try await withTemporaryDirectory { folder in
            let junk = [UInt8](repeating: 0x5A, count: 4096)
            try Data(junk).write(to: URL(fileURLWithPath: folder + "/" + SQLiteLedger.fileName))
            #expect(throws: StateError.self) { try SQLiteLedger(stateDirectory: folder) }
        }
    }
}
