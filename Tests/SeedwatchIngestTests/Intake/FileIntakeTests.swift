import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchIngest

@Suite("FileIntake")
struct FileIntakeTests {
    @Test("reads a regular file and hashes its content")
    func readsAndHashes() async throws {
        try await withTemporaryDirectory { root in
            let bytes = Array("The quick brown fox\n".utf8)
            try writeFile(root + "/fox.txt", bytes)
            let content = try await FileIntake(root: root, maxSize: 1024).read("fox.txt").get()
            #expect(content.bytes == bytes)
            #expect(content.sha256 == SHA256.hex(of: bytes))
            #expect(content.stamp.size == Int64(bytes.count))
            #expect(content.stamp.kind == .regular)
        }
    }

    @Test("reads a file in a sub-folder, and an empty file")
    func nestedAndEmpty() async throws {
        try await withTemporaryDirectory { root in
            try makeDirectory(root + "/a")
            try makeDirectory(root + "/a/b")
            try writeFile(root + "/a/b/deep.txt", "deep")
            try writeFile(root + "/empty.txt", [])
            let intake = FileIntake(root: root, maxSize: 1024)
            #expect(try intake.readNow("a/b/deep.txt").get().bytes == Array("deep".utf8))
            let empty = try intake.readNow("empty.txt").get()
            #expect(empty.bytes == [])
            #expect(empty.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        }
    }

    @Test("paths with . or .. components are refused, even when they would resolve inside")
    func dotComponents() async throws {
        try await withTemporaryDirectory { root in
            try makeDirectory(root + "/a")
            try writeFile(root + "/a/x.txt", "x")
            let intake = FileIntake(root: root + "/a", maxSize: 1024)
            for path in ["../a/x.txt", "./x.txt", "sub/../x.txt", ".."] {
                guard case .failure(.badPath) = intake.readNow(path) else {
                    Issue.record("\(path) was not refused")
                    continue
                }
            }
            #expect(FileIntake.Failure.badPath.code == .badName)
        }
    }

    @Test("the size limit is inclusive")
    func sizeLimit() async throws {
        try await withTemporaryDirectory { root in
            try writeFile(root + "/ten.txt", [UInt8](repeating: 0x41, count: 10))
            #expect(try FileIntake(root: root, maxSize: 10).readNow("ten.txt").get().bytes.count == 10)
            #expect(FileIntake(root: root, maxSize: 9).readNow("ten.txt").failure == .tooLarge(size: 10))
        }
    }

    @Test("a file over the limit is refused by its size, without reading it")
    func tooLargeWithoutReading() async throws {
        try await withTemporaryDirectory { root in
            // A sparse 64 GiB file: reading it, or allocating for it, would not finish quickly.
            let path = root + "/huge.txt"
            let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            let sized = ftruncate(fd, 64 << 30)
            close(fd)
            try #require(sized == 0)
            #expect(FileIntake(root: root, maxSize: 32 << 20).readNow("huge.txt").failure == .tooLarge(size: 64 << 30))
        }
    }

    @Test("a FIFO is reported without being opened (opening it would block)")
    func fifo() async throws {
        try await withTemporaryDirectory { root in
            try makeFIFO(root + "/pipe.txt")
            let failure = FileIntake(root: root, maxSize: 1024).readNow("pipe.txt").failure
            #expect(failure == .notRegularFile("FIFO"))
            #expect(failure?.code == .notRegularFile)
        }
    }

    @Test("a directory where a file was expected is not a regular file")
    func directoryNamedLikeAFile() async throws {
        try await withTemporaryDirectory { root in
            try makeDirectory(root + "/x.txt")
            #expect(FileIntake(root: root, maxSize: 1024).readNow("x.txt").failure == .notRegularFile("directory"))
        }
    }

    @Test("a symbolic link is refused, whether it points inside or outside the watch folder")
    func symlinks() async throws {
        try await withTemporaryDirectory { folder in
            let root = folder + "/watch"
            try makeDirectory(root)
            try writeFile(root + "/real.txt", "inside")
            try writeFile(folder + "/secret.txt", "outside")
            try makeSymlink(root + "/inside.txt", to: "real.txt")
            try makeSymlink(root + "/outside.txt", to: folder + "/secret.txt")
            try makeSymlink(root + "/dangling.txt", to: folder + "/nothing.txt")
            let intake = FileIntake(root: root, maxSize: 1024)
            #expect(intake.readNow("inside.txt").failure == .symlink)
            #expect(intake.readNow("outside.txt").failure == .symlink)
            #expect(intake.readNow("dangling.txt").failure == .symlink)
            #expect(intake.readNow("inside.txt").failure?.code == .symlink)
        }
    }

    @Test("a symbolic link as a folder in a nested path is refused")
    func symlinkedFolderComponent() async throws {
        try await withTemporaryDirectory { folder in
            let root = folder + "/watch"
            try makeDirectory(root)
            try makeDirectory(root + "/real")
            try writeFile(root + "/real/a.txt", "inside")
            try makeDirectory(folder + "/elsewhere")
            try writeFile(folder + "/elsewhere/a.txt", "outside")
            try makeSymlink(root + "/inner", to: "real")
            try makeSymlink(root + "/escape", to: folder + "/elsewhere")
            let intake = FileIntake(root: root, maxSize: 1024)
            #expect(try intake.readNow("real/a.txt").get().bytes == Array("inside".utf8))
            #expect(intake.readNow("inner/a.txt").failure == .symlink)
            #expect(intake.readNow("escape/a.txt").failure == .symlink)
        }
    }

    @Test("a file that is gone is vanished, also when its folder is gone")
    func vanished() async throws {
        try await withTemporaryDirectory { root in
            let intake = FileIntake(root: root, maxSize: 1024)
            #expect(intake.readNow("gone.txt").failure == .vanished)
            #expect(intake.readNow("no/such/folder.txt").failure == .vanished)
            #expect(intake.readNow("").failure == .vanished)
            #expect(await intake.read("gone.txt").failure == .vanished)
            #expect(await FileIntake(root: root, maxSize: 1024, settle: .milliseconds(5)).read("gone.txt").failure == .vanished)
        }
    }

    // Permission denied (`.unreadable`) is not tested: the tests run as root, and root reads a
    // file whatever its mode, so chmod cannot produce the error here.

    @Test("with a settle time, a file that keeps changing is read only once it stops")
    func settle() async throws {
        try await withTemporaryDirectory { root in
            let path = root + "/growing.txt"
            let chunks = (0..<6).map { Array("chunk \($0)\n".utf8) }
            try writeFile(path, chunks[0])
            // The writer appends well within one settle period of the previous change, so the
            // reader can only see the file unchanged for a whole period after the last chunk.
            let intake = FileIntake(root: root, maxSize: 1 << 20, settle: .milliseconds(400))
            async let content = intake.read("growing.txt")
            for chunk in chunks.dropFirst() {
                try await Task.sleep(for: .milliseconds(10))
                try writeFile(path, chunk, append: true)
            }
            let result = try await content.get()
            #expect(result.bytes == chunks.flatMap { $0 })
            #expect(result.sha256 == SHA256.hex(of: chunks.flatMap { $0 }))
        }
    }

    @Test("stamp tells kinds apart without following links")
    func stamps() async throws {
        try await withTemporaryDirectory { root in
            try writeFile(root + "/f.txt", "12345")
            try makeDirectory(root + "/d")
            try makeSymlink(root + "/l", to: "f.txt")
            try makeFIFO(root + "/p")
            let intake = FileIntake(root: root, maxSize: 1024)
            #expect(intake.stamp(of: "f.txt")?.kind == .regular)
            #expect(intake.stamp(of: "f.txt")?.size == 5)
            #expect(intake.stamp(of: "d")?.kind == .directory)
            #expect(intake.stamp(of: "l")?.kind == .symlink)
            #expect(intake.stamp(of: "p")?.kind == .other)
            #expect(intake.stamp(of: "none") == nil)
        }
    }

    @Test("running out of file descriptors is transient (retried, never quarantined); other open errors are not", arguments: [
        (EMFILE, true), (ENFILE, true), (EACCES, false), (EIO, false),
    ])
    func transientFailures(code: Int32, transient: Bool) {
        let failure = FileIntake.Failure.unreadable(SystemError(operation: "open", path: "a.txt", code: code))
        #expect(failure.isTransient == transient)
        #expect(!FileIntake.Failure.vanished.isTransient)
    }
}

extension Result {
    /// The failure, or nil on success.
    var failure: Failure? {
        if case let .failure(failure) = self { return failure }
        return nil
    }
}
