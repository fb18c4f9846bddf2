import Foundation
import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchIngest

/// Taking over an inotify instance that already has watches and queued events, as the daemon
/// does with the one systemd kept in its fd store.
@Suite("Inotify adoption")
struct InotifyAdoptionTests {
    @Test("isInotify tells an inotify instance from other descriptors")
    func recognisesInotify() throws {
        let inotify = try Inotify()
        #expect(Inotify.isInotify(inotify.descriptor))
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        #expect(!Inotify.isInotify(ends[0]))
        #expect(!Inotify.isInotify(-1))
    }

    @Test("watch descriptors are read from fdinfo lines (hexadecimal)")
    func parsesFdinfo() {
        let text = """
            pos:\t0
            flags:\t02004000
            mnt_id:\t26
            ino:\t1057
            inotify wd:1 ino:83a sdev:800001 mask:fce ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:3a08000000000000
            inotify wd:1f ino:9b1 sdev:800001 mask:fce ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:b1090000
            """
        #expect(Inotify.watchDescriptors(fdinfo: text) == [1, 0x1f])
    }

    @Test("a watcher on an adopted instance gets the same watch descriptor, reads the queued event, and prunes foreign watches")
    func adoptsWithWatches() async throws {
        try await withTemporaryDirectory { folder in
            let root = folder + "/watch"
            let other = folder + "/other"
            try makeDirectory(root)
            try makeDirectory(other)
            let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            try #require(fd >= 0)
            let previousRoot = inotify_add_watch(fd, root, InotifyMask.watched)
            let previousOther = inotify_add_watch(fd, other, InotifyMask.watched)
            try #require(previousRoot >= 0 && previousOther >= 0)
            try writeFile(root + "/queued.txt", "written while nobody read")

            let watcher = try DirectoryWatcher(root: root, recursive: false, ignore: IgnorePatterns(DaemonConfigKeys.defaultIgnore),
                                               inotify: Inotify(adopting: fd))
            defer { watcher.stop() }
            #expect(watcher.pendingBytes > 0)
            #expect(Set(try watchDescriptors(fd)) == [previousRoot, previousOther])
            #expect(watcher.pruneForeignWatches() == 1)
            let events = watcher.events()
            let seen = try await awaitEvents(events, through: .arrived("queued.txt"))
            #expect(seen == [.arrived("queued.txt")])
            // Only the watch on the root is left, under the descriptor it had before.
            #expect(try watchDescriptors(fd) == [previousRoot])
        }
    }

    @Test("every foreign watch is pruned, also past the first page of fdinfo")
    func prunesManyForeignWatches() async throws {
        try await withTemporaryDirectory { folder in
            let root = folder + "/watch"
            try makeDirectory(root)
            let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            try #require(fd >= 0)
            _ = inotify_add_watch(fd, root, InotifyMask.watched)
            // ~110 bytes of fdinfo per watch: 300 of them run far past one 4 KiB page.
            for index in 0..<300 {
                let other = folder + "/other-\(index)"
                try makeDirectory(other)
                try #require(inotify_add_watch(fd, other, InotifyMask.watched) >= 0)
            }
            let watcher = try DirectoryWatcher(root: root, recursive: false, ignore: IgnorePatterns(DaemonConfigKeys.defaultIgnore),
                                               inotify: Inotify(adopting: fd))
            defer { watcher.stop() }
            #expect(try watchDescriptors(fd).count == 301)
            #expect(watcher.pruneForeignWatches() == 300)
            #expect(try watchDescriptors(fd).count == 1)
        }
    }

    private func watchDescriptors(_ fd: Int32) throws -> [Int32] {
        Inotify.watchDescriptors(fdinfo: try #require(PseudoFile.read("/proc/self/fdinfo/\(fd)")))
    }

    @Test("ignore patterns can be replaced while watching")
    func replacesIgnore() async throws {
        try await withTemporaryDirectory { folder in
            let watcher = try DirectoryWatcher(root: folder, recursive: false, ignore: IgnorePatterns(["*.skip"]))
            defer { watcher.stop() }
            let events = watcher.events()
            try writeFile(folder + "/a.skip", "ignored")
            try writeFile(folder + "/b.txt", "arrives")
            #expect(try await awaitEvents(events, through: .arrived("b.txt")) == [.arrived("b.txt")])
            watcher.setIgnore(IgnorePatterns(["*.txt"]))
            #expect(watcher.scanner.ignore.patterns == ["*.txt"])
            try writeFile(folder + "/c.txt", "ignored now")
            try writeFile(folder + "/d.skip", "arrives now")
            #expect(try await awaitEvents(events, through: .arrived("d.skip")) == [.arrived("d.skip")])
        }
    }
}
