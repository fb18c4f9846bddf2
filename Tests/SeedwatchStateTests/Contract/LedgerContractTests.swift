import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing

/// The decisions every `FileLedger` must support, run against each implementation.
@Suite("FileLedger contract")
struct LedgerContractTests {
    static func entry(
        _ path: String, sha: String = String(repeating: "a", count: 64), status: LedgerStatus = .processed,
        at seconds: TimeInterval = 1_700_000_000, duplicateOf: String? = nil, code: String? = nil
    ) -> LedgerEntry {
        LedgerEntry(
            path: path, size: 42, modifiedNanoseconds: 1_700_000_000_123_456_789, sha256: sha, status: status,
            duplicateOf: duplicateOf, resultID: status == .quarantined ? nil : "\(path).\(sha.prefix(8))", code: code,
            updatedAt: Date(timeIntervalSince1970: seconds)
        )
    }

    @Test("an entry reads back field for field; an unknown path has none", arguments: StateImplementation.all)
    func recordAndRead(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            let original = Self.entry("notes/it's ünïcode; DROP TABLE files.txt", at: 1_700_000_000.250)
            try ledger.record(original)
            #expect(try ledger.entry(path: original.path) == original)
            #expect(try ledger.entry(path: "other.txt") == nil)
            let quarantined = Self.entry("bad.bin", status: .quarantined, code: "binary")
            try ledger.record(quarantined)
            #expect(try ledger.entry(path: "bad.bin") == quarantined)
        }
    }

    /// The file system keeps `café` in NFC and in NFD as two files; so must the ledger, though
    /// Swift's `String ==` calls the two names equal.
    @Test("names that differ only in Unicode normalisation are two rows", arguments: StateImplementation.all)
    func normalisationForms(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            let composed = Self.entry("caf\u{E9}.txt", sha: String(repeating: "1", count: 64))
            let decomposed = Self.entry("cafe\u{301}.txt", sha: String(repeating: "2", count: 64))
            try ledger.record(composed)
            try ledger.record(decomposed)
            #expect(try ledger.counts() == [.processed: 2])
            #expect(try ledger.entry(path: composed.path)?.sha256 == composed.sha256)
            #expect(try ledger.entry(path: decomposed.path)?.sha256 == decomposed.sha256)
            #expect(try ledger.processed(sha256: composed.sha256, excluding: decomposed.path)?.sha256 == composed.sha256)
            try ledger.forget(path: decomposed.path)
            #expect(try ledger.entry(path: composed.path) != nil)
            #expect(try ledger.entry(path: decomposed.path) == nil)
        }
    }

    @Test("recording a path again replaces its row", arguments: StateImplementation.all)
    func replace(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            try ledger.record(Self.entry("a.txt", sha: String(repeating: "1", count: 64)))
            let changed = Self.entry("a.txt", sha: String(repeating: "2", count: 64), status: .quarantined, at: 1_700_000_100, code: "too_large")
            try ledger.record(changed)
            #expect(try ledger.entry(path: "a.txt") == changed)
            #expect(try ledger.counts() == [.quarantined: 1])
        }
    }

    @Test("the original of a content: the earliest other processed file", arguments: StateImplementation.all)
    func processedBySHA(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            let sha = String(repeating: "c", count: 64)
            let other = String(repeating: "d", count: 64)
            try ledger.record(Self.entry("second.txt", sha: sha, at: 1_700_000_200))
            try ledger.record(Self.entry("first.txt", sha: sha, at: 1_700_000_100))
            try ledger.record(Self.entry("copy.txt", sha: sha, status: .duplicate, at: 1_700_000_050, duplicateOf: "first.txt"))
            try ledger.record(Self.entry("broken.txt", sha: sha, status: .quarantined, at: 1_700_000_010, code: "empty"))
            try ledger.record(Self.entry("unrelated.txt", sha: other, at: 1_700_000_000))

            #expect(try ledger.processed(sha256: sha, excluding: "new.txt")?.path == "first.txt")
            #expect(try ledger.processed(sha256: sha, excluding: "first.txt")?.path == "second.txt")
            #expect(try ledger.processed(sha256: other, excluding: "unrelated.txt") == nil)
            #expect(try ledger.processed(sha256: String(repeating: "e", count: 64), excluding: "x") == nil)
        }
    }

    @Test("the duplicates of a file's content, earliest first", arguments: StateImplementation.all)
    func duplicatesOfOriginal(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            let sha = String(repeating: "c", count: 64)
            let newer = String(repeating: "d", count: 64)
            try ledger.record(Self.entry("a.txt", sha: sha, at: 1_700_000_000))
            try ledger.record(Self.entry("c.txt", sha: sha, status: .duplicate, at: 1_700_000_300, duplicateOf: "a.txt"))
            try ledger.record(Self.entry("b.txt", sha: sha, status: .duplicate, at: 1_700_000_200, duplicateOf: "a.txt"))
            try ledger.record(Self.entry("x.txt", sha: sha, status: .duplicate, at: 1_700_000_100, duplicateOf: "other.txt"))
            try ledger.record(Self.entry("y.txt", sha: newer, status: .duplicate, at: 1_700_000_100, duplicateOf: "a.txt"))

            #expect(try ledger.duplicates(of: "a.txt", sha256: sha).map(\.path) == ["b.txt", "c.txt"])
            #expect(try ledger.duplicates(of: "a.txt", sha256: newer).map(\.path) == ["y.txt"])
            #expect(try ledger.duplicates(of: "b.txt", sha256: sha).isEmpty)
        }
    }

    @Test("forgetting a path drops its row only", arguments: StateImplementation.all)
    func forget(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            try ledger.record(Self.entry("a.txt"))
            try ledger.record(Self.entry("b.txt"))
            try ledger.forget(path: "a.txt")
            try ledger.forget(path: "never-there.txt")
            #expect(try ledger.entry(path: "a.txt") == nil)
            #expect(try ledger.entry(path: "b.txt") != nil)
            #expect(try ledger.counts() == [.processed: 1])
        }
    }

    @Test("counts by status", arguments: StateImplementation.all)
    func counts(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            #expect(try ledger.counts() == [:])
            try ledger.record(Self.entry("a.txt"))
            try ledger.record(Self.entry("b.txt"))
            try ledger.record(Self.entry("c.txt", status: .duplicate, duplicateOf: "a.txt"))
            try ledger.record(Self.entry("d.bin", status: .quarantined, code: "binary"))
            #expect(try ledger.counts() == [.processed: 2, .duplicate: 1, .quarantined: 1])
        }
    }

    @Test("many tasks recording at once all land", arguments: StateImplementation.all)
    func concurrentRecords(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try await implementation.open(folder).ledger
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    // Each on a thread of its own, as the daemon's writers are.
                    group.addTask { try await OffPool.run { try ledger.record(Self.entry("c-\(index).txt")) } }
                }
                try await group.waitForAll()
            }
            #expect(try ledger.counts() == [.processed: 200])
        }
    }

    @Test("reopening keeps every entry", arguments: StateImplementation.all)
    func reopen(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let entries = (0..<20).map { Self.entry("file-\($0).txt", sha: String(repeating: "f", count: 63) + String($0 % 10)) }
            do {
                let ledger = try await implementation.open(folder).ledger
                for item in entries { try ledger.record(item) }
            }
            let reopened = try await implementation.open(folder).ledger
            for item in entries { #expect(try reopened.entry(path: item.path) == item) }
            #expect(try reopened.counts() == [.processed: 20])
        }
    }
}
