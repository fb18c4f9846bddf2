import Foundation
import Glibc
import SeedwatchCore
import SeedwatchExecutors
import Testing
@testable import SeedwatchPipeline

@Suite("OutboxWriter")
struct OutboxWriterTests {
    private func names(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    private func contents(of path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("writes under numbered temporary names; replaces a result of the same name whole, leaving no temporary")
    func replaces() async throws {
        try await withTemporaryDirectory { folder in
            let writer = try OutboxWriter(directory: folder)
            try writer.write([3], name: "other.json")
            try writer.write(Array(repeating: 7, count: 1 << 20), name: "r.json")
            try writer.write([], name: "r.json")
            #expect(try contents(of: folder + "/r.json").isEmpty)
            try writer.write([1, 2], name: "r.json")
            #expect(try contents(of: folder + "/r.json") == [1, 2])
            #expect(try names(in: folder) == ["other.json", "r.json"])
        }
    }

    @Test("a reader never sees a result partial under its final name while writers replace it")
    func neverPartial() async throws {
        try await withTemporaryDirectory { folder in
            let writer = try OutboxWriter(directory: folder)
            let versions = (1...8).map { index in [UInt8](repeating: UInt8(index), count: 1 << 20) }
            let path = folder + "/same.json"
            let stop = Locked(false)
            let reads = Locked<(complete: Int, partial: Int)>((0, 0))
            async let reader: Void = BlockingThreadPool.shared.run {
                while !stop.withLock({ $0 }) {
                    guard let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) else { continue }
                    let complete = versions.contains(bytes)
                    reads.withLock { complete ? ($0.complete += 1) : ($0.partial += 1) }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<4 {
                    for bytes in versions.dropFirst(round % 2) {
                        group.addTask { try await BlockingThreadPool.shared.run { () throws(SystemError) in try writer.write(bytes, name: "same.json") } }
                    }
                }
                try await group.waitForAll()
            }
            stop.withLock { $0 = true }
            await reader
            #expect(reads.withLock { $0.partial } == 0)
            #expect(versions.contains(try contents(of: path)))
            #expect(try names(in: folder) == ["same.json"])
        }
    }

    @Test("a failing folder fsync fails the write, after the file is complete under its name")
    func folderSyncFails() async throws {
        try await withTemporaryDirectory { folder in
            let writer = try OutboxWriter(directory: folder) { directory throws(SystemError) in
                throw SystemError(operation: "fsync", path: directory, code: EIO)
            }
            #expect(throws: SystemError(operation: "fsync", path: folder, code: EIO)) {
                try writer.write([1], name: "r.json")
            }
            #expect(try contents(of: folder + "/r.json") == [1])
        }
    }

    @Test("concurrent writers sharing failing folder syncs all fail: none is told its name is durable")
    func sharedSyncFails() async throws {
        try await withTemporaryDirectory { folder in
            let syncs = Locked(0)
            let writer = try OutboxWriter(directory: folder) { directory throws(SystemError) in
                syncs.withLock { $0 += 1 }
                throw SystemError(operation: "fsync", path: directory, code: EIO)
            }
            let failures = Locked(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<32 {
                    group.addTask {
                        do {
                            try await BlockingThreadPool.shared.run { () throws(SystemError) in try writer.write([UInt8(index)], name: "r\(index).json") }
                        } catch {
                            failures.withLock { $0 += 1 }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(failures.withLock { $0 } == 32)
            #expect(syncs.withLock { $0 } >= 1)
        }
    }

    @Test("every writer returns only after a folder sync that saw its name; concurrent writers share syncs")
    func groupSync() async throws {
        try await withTemporaryDirectory { folder in
            let synced = Locked<[Set<String>]>([])
            let writer = try OutboxWriter(directory: folder) { directory throws(SystemError) in
                let present = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                synced.withLock { $0.append(present) }
                try AtomicFile.syncDirectory(directory)
            }
            let names = (0..<64).map { "r\($0).json" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in names {
                    group.addTask {
                        try await BlockingThreadPool.shared.run { () throws(SystemError) in
                            try writer.write(Array(name.utf8), name: name)
                            // Returned: a sync that started after the rename saw the name.
                            let seen = synced.withLock { $0.contains { $0.contains(name) } }
                            if !seen { throw SystemError(operation: "not synced", path: name, code: EIO) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try self.names(in: folder) == names.sorted())
            let syncs = synced.withLock { $0.count }
            #expect(syncs >= 1 && syncs <= names.count)
        }
    }
}
