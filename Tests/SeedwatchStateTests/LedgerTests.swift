import Foundation
import SeedwatchCore
import Testing
@testable import SeedwatchState

@Suite("Ledger")
struct LedgerTests {
    private func entry(
        _ path: String, sha: String = String(repeating: "a", count: 64), status: LedgerStatus = .processed,
        at seconds: TimeInterval = 1_700_000_000, duplicateOf: String? = nil, code: String? = nil
    ) -> LedgerEntry {
        LedgerEntry(
            path: path, size: 42, modifiedNanoseconds: 1_700_000_000_123_456_789, sha256: sha, status: status,
            duplicateOf: duplicateOf, resultID: status == .processed ? "\(path).\(sha.prefix(8))" : nil, code: code,
            updatedAt: Date(timeIntervalSince1970: seconds)
        )
    }

    @Test("creates its folder and database, records an entry and reads it back field for field")
    func recordAndRead() async throws {
        try await withTemporaryDirectory { folder in
            let state = folder + "/nested/state"
            let ledger = try Ledger(stateDirectory: state)
            #expect(FileManager.default.fileExists(atPath: state + "/" + Ledger.fileName))
            let original = entry("notes/it's ünïcode; DROP TABLE files.txt", code: nil)
            try ledger.record(original)
            #expect(try ledger.entry(path: original.path) == original)
            #expect(try ledger.entry(path: "other.txt") == nil)

            let quarantined = entry("bad.bin", status: .quarantined, code: "binary")
            try ledger.record(quarantined)
            #expect(try ledger.entry(path: "bad.bin") == quarantined)
        }
    }

    @Test("recording a path again updates its row")
    func update() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try Ledger(stateDirectory: folder)
            try ledger.record(entry("a.txt", sha: String(repeating: "1", count: 64), at: 1_700_000_000))
            let changed = entry("a.txt", sha: String(repeating: "2", count: 64), status: .quarantined, at: 1_700_000_100, code: "too_large")
            try ledger.record(changed)
            #expect(try ledger.entry(path: "a.txt") == changed)
            #expect(try ledger.counts() == [.quarantined: 1])
        }
    }

    @Test("milliseconds of the update time survive")
    func millisecondTimes() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try Ledger(stateDirectory: folder)
            let time = Date(timeIntervalSince1970: 1_700_000_000.250)
            try ledger.record(LedgerEntry(path: "t.txt", size: 1, modifiedNanoseconds: 1, sha256: "s", status: .processed, updatedAt: time))
            let read = try #require(try ledger.entry(path: "t.txt"))
            #expect(abs(read.updatedAt.timeIntervalSince(time)) < 0.001)
        }
    }

    @Test("processed(sha256:excluding:) finds the earliest other processed file with that content")
    func processedBySHA() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try Ledger(stateDirectory: folder)
            let sha = String(repeating: "c", count: 64)
            let other = String(repeating: "d", count: 64)
            try ledger.record(entry("second.txt", sha: sha, at: 1_700_000_200))
            try ledger.record(entry("first.txt", sha: sha, at: 1_700_000_100))
            try ledger.record(entry("copy.txt", sha: sha, status: .duplicate, at: 1_700_000_050, duplicateOf: "first.txt"))
            try ledger.record(entry("broken.txt", sha: sha, status: .quarantined, at: 1_700_000_010, code: "empty"))
            try ledger.record(entry("unrelated.txt", sha: other, at: 1_700_000_000))

            #expect(try ledger.processed(sha256: sha, excluding: "new.txt")?.path == "first.txt")
            #expect(try ledger.processed(sha256: sha, excluding: "first.txt")?.path == "second.txt")
            #expect(try ledger.processed(sha256: other, excluding: "unrelated.txt") == nil)
            #expect(try ledger.processed(sha256: String(repeating: "e", count: 64), excluding: "x") == nil)
        }
    }

    @Test("counts by status")
    func counts() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try Ledger(stateDirectory: folder)
            #expect(try ledger.counts() == [:])
            try ledger.record(entry("a.txt"))
            try ledger.record(entry("b.txt"))
            try ledger.record(entry("c.txt", status: .duplicate, duplicateOf: "a.txt"))
            try ledger.record(entry("d.bin", status: .quarantined, code: "binary"))
            #expect(try ledger.counts() == [.processed: 2, .duplicate: 1, .quarantined: 1])
        }
    }

    @Test("reopening the database keeps every entry and the processor state")
    func reopen() async throws {
        try await withTemporaryDirectory { folder in
            let entries = (0..<20).map { entry("file-\($0).txt", sha: String(repeating: "f", count: 63) + String($0 % 10)) }
            do {
                let ledger = try Ledger(stateDirectory: folder)
                for item in entries { try ledger.record(item) }
                try SQLiteStateStore(database: ledger.database).save(namespace: "topics", key: "k", value: [1, 2, 3])
            }
            let reopened = try Ledger(stateDirectory: folder)
            for item in entries { #expect(try reopened.entry(path: item.path) == item) }
            #expect(try reopened.counts() == [.processed: 20])
            #expect(try SQLiteStateStore(database: reopened.database).load(namespace: "topics", key: "k") == [1, 2, 3])
        }
    }

    @Test("many tasks recording at once all land")
    func concurrentRecords() async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try Ledger(stateDirectory: folder)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask { try ledger.record(entry("c-\(index).txt")) }
                }
                try await group.waitForAll()
            }
            #expect(try ledger.counts() == [.processed: 200])
        }
    }

    @Test("a state folder that cannot be created is an open error, not a crash")
    func folderInTheWay() async throws {
        try await withTemporaryDirectory { folder in
            try Data("a file, not a folder".utf8).write(to: URL(fileURLWithPath: folder + "/file"))
            #expect {
                try Ledger(stateDirectory: folder + "/file/state")
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
                _ = try Ledger(database: database)
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
            try Data(junk).write(to: URL(fileURLWithPath: folder + "/" + Ledger.fileName))
            #expect(throws: StateError.self) { try Ledger(stateDirectory: folder) }
        }
    }
}
