import Foundation
import Glibc
import SeedwatchIngest
import SeedwatchTestSupport
import Testing

/// The inotify instance in systemd's file-descriptor store, end to end: handed over with
/// `FDSTORE=1` on a real NOTIFY_SOCKET, and adopted from `LISTEN_FDS` with the events it queued
/// while no daemon was reading.
@Suite("FD store", .timeLimit(.minutes(TestTime.minutes(2))))
struct FDStoreTests {
    @Test("the inotify fd is sent with FDSTORE=1, FDNAME=inotify before READY=1, watching the watch folder")
    func storesInotify() async throws {
        let daemon = try DaemonHarness()
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"])
        try await daemon.waitReady()
        let messages = daemon.notify.all
        let index = try #require(messages.firstIndex { $0.hasPrefix("FDSTORE=1") }, "\(messages)")
        #expect(messages[index] == "FDSTORE=1\nFDNAME=inotify")
        let ready = try #require(messages.firstIndex { $0.contains("READY=1") })
        #expect(index < ready)
        let attachments = daemon.notify.attachments(at: index)
        #expect(attachments.count == 1)
        let stored = try #require(attachments.first)
        #expect(stored.target == "anon_inode:inotify")
        // It is the daemon's own instance: it holds the watch on the watch folder's inode.
        var info = stat()
        #expect(stat(daemon.watch, &info) == 0)
        let inodes = Self.watches(stored.fdinfo).map(\.inode)
        #expect(inodes == [UInt64(info.st_ino)], "\(stored.fdinfo)")
        #expect(try await daemon.stop() == 0)
    }

    @Test("an inotify fd passed as LISTEN_FDNAMES=inotify is adopted: its queued event is read, stale watches are removed")
    func adoptsStoredInotify() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let elsewhere = daemon.root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)

        // The instance a previous run left in the store: watching the folder, plus a folder no
        // longer watched. Above fd 3, so the spawn can put it on fd 3.
        let created = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        try #require(created >= 0)
        let fd = fcntl(created, F_DUPFD_CLOEXEC, 10)
        close(created)
        try #require(fd > 3)
        defer { close(fd) }
        let watchDescriptor = inotify_add_watch(fd, daemon.watch, InotifyMask.watched)
        try #require(watchDescriptor >= 0)
        try #require(inotify_add_watch(fd, elsewhere, InotifyMask.watched) >= 0)

        // Renamed in while nobody reads: the IN_MOVED_TO waits in the instance's queue.
        try daemon.drop("queued.txt", "Queued while the daemon was down. It has two sentences.")
        #expect(Self.pendingBytes(fd) > 0)

        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"], passing: (fd, "inotify"))
        try await daemon.waitReady()
        #expect(daemon.log.contains("adopted the stored inotify fd 3 from systemd's fd store"), "\(daemon.log)")
        // The wrapper passed fd 3 and nothing else of the test process (other tests' files and sockets).
        let inherited = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd").compactMap { name -> String? in
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(daemon.pid)/fd/\(name)")) ?? ""
            return target.contains("seedwatch-e2e-") && !target.hasPrefix(daemon.root) ? target : nil
        }
        #expect(inherited.isEmpty, "\(inherited)")
        #expect(!daemon.log.contains("(0 bytes of events"))
        _ = try await within(20, "the queued document's result") { await outbox.await(count: 1) { $0.hasPrefix("queued.") } }

        // Re-adding the watch on the same instance gave back the same descriptor; the stale one is gone.
        let watches = Self.watches(try String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8))
        #expect(watches.map(\.descriptor) == [watchDescriptor], "\(watches)")

        // The adopted instance keeps delivering.
        try daemon.drop("after.txt", "Arrived after the adoption. Also two sentences.")
        _ = try await within(20, "a result after the adoption") { await outbox.await(count: 1) { $0.hasPrefix("after.") } }
        // The daemon read the queue it inherited (the scan alone would have left the events there).
        #expect(Self.pendingBytes(fd) == 0)
        // Already in the store: not sent again.
        #expect(!daemon.notify.all.contains { $0.hasPrefix("FDSTORE=1") })
        #expect(try await daemon.stop() == 0)
    }

    static func pendingBytes(_ fd: Int32) -> Int32 {
        var count: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &count) == 0 ? count : -1
    }

    /// The `inotify wd:<hex> ino:<hex> …` lines of an fdinfo file.
    static func watches(_ fdinfo: String) -> [(descriptor: Int32, inode: UInt64)] {
        fdinfo.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("inotify ") else { return nil }
            var fields: [Substring: Substring] = [:]
            for field in line.split(separator: " ") {
                guard let colon = field.firstIndex(of: ":") else { continue }
                fields[field[..<colon]] = field[field.index(after: colon)...]
            }
            guard let wd = fields["wd"].flatMap({ Int32($0, radix: 16) }),
                  let ino = fields["ino"].flatMap({ UInt64($0, radix: 16) }) else { return nil }
            return (wd, ino)
        }
    }
}
