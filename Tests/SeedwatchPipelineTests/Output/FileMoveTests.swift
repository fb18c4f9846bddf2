import Foundation
import Glibc
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchPipeline

/// Moving inputs out of the watch folder: free names, no replacing, and a move cut short that a
/// second call finishes.
@Suite("file move")
struct FileMoveTests {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "seedwatch-move-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path + "/in/sub", withIntermediateDirectories: true)
        return path
    }

    @Test("a taken name gets -1, -2 … before the extension")
    func suffixes() {
        #expect(FileMove.suffixed("/d/a.txt", 1) == "/d/a-1.txt")
        #expect(FileMove.suffixed("/d/sub/a.tar.gz", 2) == "/d/sub/a.tar-2.gz")
        #expect(FileMove.suffixed("/d/README", 1) == "/d/README-1")
        #expect(FileMove.suffixed("/d.x/.hidden", 3) == "/d.x/.hidden-3")
    }

    @Test("moves at the relative path, creating folders, and never replaces a file there")
    func collision() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/done/sub", withIntermediateDirectories: true)
        try Data("older".utf8).write(to: URL(fileURLWithPath: root + "/done/sub/a.txt"))
        try Data("older too".utf8).write(to: URL(fileURLWithPath: root + "/done/sub/a-1.txt"))
        try Data("new".utf8).write(to: URL(fileURLWithPath: root + "/in/sub/a.txt"))
        let target = try FileMove.move(root + "/in/sub/a.txt", into: root + "/done", relativePath: "sub/a.txt", sha256: nil)
        #expect(target == root + "/done/sub/a-2.txt")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try String(contentsOfFile: root + "/done/sub/a.txt", encoding: .utf8) == "older")
        #expect(try String(contentsOfFile: root + "/done/sub/a-1.txt", encoding: .utf8) == "older too")
        #expect(!FileManager.default.fileExists(atPath: root + "/in/sub/a.txt"))
        #expect(FileMove.firstFreeName(in: root + "/done", relativePath: "sub/a.txt") == root + "/done/sub/a-3.txt")
    }

    @Test("a move cut short after the link (both names one file) is finished, not doubled")
    func interruptedLink() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/done", withIntermediateDirectories: true)
        try Data("content".utf8).write(to: URL(fileURLWithPath: root + "/in/b.txt"))
        #expect(link(root + "/in/b.txt", root + "/done/b.txt") == 0)
        let target = try FileMove.move(root + "/in/b.txt", into: root + "/done", relativePath: "b.txt", sha256: nil)
        #expect(target == root + "/done/b.txt")
        #expect(!FileManager.default.fileExists(atPath: root + "/in/b.txt"))
        #expect(!FileManager.default.fileExists(atPath: root + "/done/b-1.txt"))
    }
}

/// Across file systems: copy, fsync, rename, unlink; never two halves.
@Suite("file move across file systems", .enabled(if: TmpfsMount.possible, "needs root to mount a tmpfs"))
struct FileMoveAcrossTests {
    @Test("the file lands whole on the other file system, the source goes, no temporary stays; a copy left by a cut-short move counts as the move")
    func acrossFileSystems() throws {
        let root = NSTemporaryDirectory() + "seedwatch-xmove-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        let mount = try TmpfsMount(at: root + "/done")
        defer {
            mount.unmount()
            try? FileManager.default.removeItem(atPath: root)
        }
        let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: URL(fileURLWithPath: root + "/in/big.txt"))
        var inInfo = stat(), doneInfo = stat()
        #expect(stat(root + "/in", &inInfo) == 0 && stat(root + "/done", &doneInfo) == 0)
        #expect(inInfo.st_dev != doneInfo.st_dev)
        let target = try FileMove.move(root + "/in/big.txt", into: root + "/done", relativePath: "sub/big.txt", sha256: SHA256.hex(of: bytes))
        #expect(target == root + "/done/sub/big.txt")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: root + "/in/big.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/done").filter { $0.hasPrefix(".tmp-") }.isEmpty)

        // Cut short between the rename into place and the unlink: the copy is there, the source too.
        try bytes.write(to: URL(fileURLWithPath: root + "/in/big.txt"))
        let again = try FileMove.move(root + "/in/big.txt", into: root + "/done", relativePath: "sub/big.txt", sha256: SHA256.hex(of: bytes))
        #expect(again == target)
        #expect(!FileManager.default.fileExists(atPath: root + "/done/sub/big-1.txt"))
        #expect(!FileManager.default.fileExists(atPath: root + "/in/big.txt"))
        // Other content under that name is no such copy: it takes the next name.
        try Data("other".utf8).write(to: URL(fileURLWithPath: root + "/in/big.txt"))
        let other = try FileMove.move(root + "/in/big.txt", into: root + "/done", relativePath: "sub/big.txt", sha256: SHA256.hex(of: Data("other".utf8)))
        #expect(other == root + "/done/sub/big-1.txt")
    }
}
