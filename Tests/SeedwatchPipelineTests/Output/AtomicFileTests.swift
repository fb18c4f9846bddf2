import Foundation
import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchPipeline

@Suite("AtomicFile")
struct AtomicFileTests {
    private func names(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test("writes the bytes under the final name and leaves no temporary file")
    func writes() async throws {
        try await withTemporaryDirectory { folder in
            let bytes = Array("{\"a\": 1}\n".utf8) + [0, 255]
            try AtomicFile.write(bytes, to: folder, name: "result.json")
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/result.json"))) == bytes)
            #expect(try names(in: folder) == ["result.json"])
        }
    }

    @Test("replaces an existing file whole; empty and large contents work")
    func replaces() async throws {
        try await withTemporaryDirectory { folder in
            try AtomicFile.write(Array(repeating: 7, count: 1 << 20), to: folder, name: "r.json")
            try AtomicFile.write([], to: folder, name: "r.json")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/r.json")).isEmpty)
            try AtomicFile.write([1, 2], to: folder, name: "r.json")
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/r.json"))) == [1, 2])
            #expect(try names(in: folder) == ["r.json"])
        }
    }

    @Test("a folder that does not exist is an error naming the path")
    func missingFolder() async throws {
        try await withTemporaryDirectory { folder in
            #expect {
                try AtomicFile.write([1], to: folder + "/absent", name: "r.json")
            } throws: { error in
                guard let error = error as? SystemError else { return false }
                return error.operation == "create" && error.code == ENOENT && error.path?.hasPrefix(folder + "/absent/") == true
                    && !error.isNoSpace
            }
        }
    }

    @Test("removeLeftovers removes temporary files only")
    func leftovers() async throws {
        try await withTemporaryDirectory { folder in
            for name in [".tmp-123-456-a.json", ".tmp-x", "keep.json", ".hidden", "tmp-not-ours.json"] {
                try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
            }
            #expect(AtomicFile.removeLeftovers(in: folder) == 2)
            #expect(try names(in: folder) == [".hidden", "keep.json", "tmp-not-ours.json"])
            #expect(AtomicFile.removeLeftovers(in: folder + "/absent") == 0)
        }
    }

    @Test("ensureDirectory creates parents and accepts an existing folder")
    func ensureDirectory() async throws {
        try await withTemporaryDirectory { folder in
            try AtomicFile.ensureDirectory(folder + "/a/b/c")
            try AtomicFile.ensureDirectory(folder + "/a/b/c")
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: folder + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        }
    }

    @Test("concurrent writers of the same name never leave a partial or mixed file")
    func concurrentWriters() async throws {
        try await withTemporaryDirectory { folder in
            let contents = (0..<16).map { index in [UInt8](repeating: UInt8(index), count: 64 * 1024) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for bytes in contents {
                    group.addTask { try AtomicFile.write(bytes, to: folder, name: "same.json") }
                }
                try await group.waitForAll()
            }
            let final = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/same.json")))
            #expect(contents.contains(final))
            #expect(try names(in: folder) == ["same.json"])
        }
    }
}
