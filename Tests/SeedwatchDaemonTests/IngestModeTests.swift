import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// `ingest.mode`, end to end: real FUSE mounts (bindfs), real inotify, the real binary.
@Suite("Ingest modes", .timeLimit(.minutes(TestTime.minutes(2))))
struct IngestModeTests {
    static let quick = ["processors.entities.enabled=false", "processors.topics.enabled=false", "ingest.poll_interval_ms=200"]

    /// Written the way another machine delivers a file on a share: a temporary name, then a rename,
    /// in the folder behind the mount, where no inotify event reaches the daemon.
    static func deliver(_ folder: String, _ name: String, _ text: String) throws {
        let temporary = folder + "/." + name + ".part"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, folder + "/" + name) == 0 else { throw POSIXError(.EIO) }
    }

    static func ingest(_ daemon: DaemonHarness) async throws -> [String: Any] {
        let status = try await HTTPClient.get("/status", socket: daemon.controlSocket)
        return try #require(status.json?["ingest"] as? [String: Any], "\(status.body)")
    }

    /// The `ingest.folders` entries of `GET /status`, by absolute path: (mode, fs).
    static func folders(_ daemon: DaemonHarness) async throws -> [String: [String]] {
        let entries = try #require(try await ingest(daemon)["folders"] as? [[String: Any]])
        var folders: [String: [String]] = [:]
        for entry in entries {
            folders[entry["path"] as? String ?? "?"] = [entry["mode"] as? String ?? "?", entry["fs"] as? String ?? "?"]
        }
        return folders
    }

    @Test("auto: files written behind a bindfs mount that is the watch folder are polled and processed; the journal, STATUS= and /status say so",
          .enabled(if: BindMount.available, "needs root, /dev/fuse and bindfs"))
    func fuseWatchFolder() async throws {
        let daemon = try DaemonHarness()
        let mount = try BindMount(backing: daemon.root + "/share", at: daemon.watch)
        defer { mount.unmount() }
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(Self.quick)
        try await daemon.waitReady()

        try Self.deliver(mount.backing, "remote.txt", "Written on another machine. It reaches the share behind the mount.")
        let results = try await within(30, "the result of remote.txt") { await outbox.await(count: 1) { $0.hasPrefix("remote.") } }
        #expect(results.count == 1)
        #expect(try await Self.folders(daemon) == [daemon.watch: ["poll", "fuse"]])
        #expect(try await Self.ingest(daemon)["poll_interval_ms"] as? Int == 200)
        #expect(daemon.notify.all.contains { $0.contains("STATUS=") && $0.contains("polling every 200 ms: watch folder (fuse)") })
        let pid = daemon.pid
        let entries = try await Journald.entries(matching: "INGEST_FOLDER=\(daemon.watch)") { $0["_PID"] == "\(pid)" }
        let start = try #require(entries.last { $0["_PID"] == "\(pid)" })
        #expect(start["INGEST_MODE"] == "poll")
        #expect(start["INGEST_FS"] == "fuse")
        #expect(start["MESSAGE"] == "watch folder is on fuse (statfs 0x65735546): polling every 200 ms")
        #expect(try await daemon.stop() == 0)
    }

    @Test("the watch folder on a FUSE mount unmounted: handled as a deleted watch folder (an error, a non-zero exit)",
          .enabled(if: BindMount.available, "needs root, /dev/fuse and bindfs"))
    func fuseWatchFolderUnmounted() async throws {
        let daemon = try DaemonHarness()
        let mount = try BindMount(backing: daemon.root + "/share", at: daemon.watch)
        var mounted = true
        defer { if mounted { mount.unmount() } }
        try daemon.start(Self.quick)
        try await daemon.waitReady()
        mount.unmount()
        mounted = false
        let status = try await daemon.waitExit()
        #expect(status != 0)
        #expect(daemon.log.contains("watch folder is gone"))
    }

    @Test("a file both an inotify event and a poll report is processed once",
          .enabled(if: BindMount.available, "needs root, /dev/fuse and bindfs"))
    func eventAndPoll() async throws {
        let daemon = try DaemonHarness()
        let mount = try BindMount(backing: daemon.root + "/share", at: daemon.watch)
        defer { mount.unmount() }
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(Self.quick + ["log.level=debug"])
        try await daemon.waitReady()

        // Through the mount: inotify sees it at once, and the next polls find it too.
        try daemon.drop("local.txt", "Written through the mount on this machine. Both watchers report it.")
        _ = try await within(30, "the result of local.txt") { await outbox.await(count: 1) { $0.hasPrefix("local.") } }
        // The poll's report comes after the event's (it waits one interval for the file to settle).
        let path = daemon.watch + "/local.txt", pid = daemon.pid
        _ = try await Journald.entries(matching: "DOCUMENT_PATH=\(path)") { $0["_PID"] == "\(pid)" && $0["INGEST_EVENT"] == "polled" }
        // The queue hands names out in order: once this later file is done, the poll's report of
        // local.txt has been admitted (or refused as recorded in the ledger).
        try daemon.drop("marker.txt", "Dropped after the poll reported local.txt.")
        _ = try await within(30, "the result of marker.txt") { await outbox.await(count: 1) { $0.hasPrefix("marker.") } }
        #expect(try await daemon.stop() == 0)
        // The stop drained whatever was in flight: every processing of local.txt is in the journal.
        let entries = try await Journald.entries(matching: "_PID=\(pid)") { $0["MESSAGE"]?.hasPrefix("stopped") == true }
        let processed = entries.filter { $0["DOCUMENT_PATH"] == path && $0["MESSAGE"]?.hasPrefix("processed") == true }
        #expect(processed.count == 1, "\(processed)")
        #expect(daemon.results().filter { $0.hasPrefix("local.") }.count == 1)
    }

    @Test("recursive auto with a bindfs mount below the watch folder: that subtree is polled, the rest uses inotify",
          .enabled(if: BindMount.available, "needs root, /dev/fuse and bindfs"))
    func fuseSubtree() async throws {
        let daemon = try DaemonHarness()
        let nas = daemon.watch + "/nas"
        let mount = try BindMount(backing: daemon.root + "/share", at: nas)
        defer { mount.unmount() }
        try FileManager.default.createDirectory(atPath: mount.backing + "/2026", withIntermediateDirectories: true)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(Self.quick + ["ingest.recursive=true"])
        try await daemon.waitReady()

        #expect(try await Self.folders(daemon) == [daemon.watch: ["inotify", "ext4"], nas: ["poll", "fuse"]])
        try Self.deliver(mount.backing + "/2026", "deep.txt", "Filed on the share, two folders down. No event reaches the daemon.")
        try daemon.drop("near.txt", "Dropped on the local disk. inotify reports it.")
        let results = try await within(30, "both results") { await outbox.await(count: 2) { $0.hasPrefix("nas%2F2026%2Fdeep.") || $0.hasPrefix("near.") } }
        #expect(results.count == 2)
        let pid = daemon.pid
        let entries = try await Journald.entries(matching: "INGEST_FOLDER=\(nas)") { $0["_PID"] == "\(pid)" }
        #expect(entries.last { $0["_PID"] == "\(pid)" }?["INGEST_MODE"] == "poll")
        #expect(try await daemon.stop() == 0)
    }

    @Test("recursive auto: a mount appearing below the watch folder is polled from then on; once gone, its folder uses inotify again",
          .enabled(if: BindMount.available, "needs root, /dev/fuse and bindfs"))
    func mountComesAndGoes() async throws {
        let daemon = try DaemonHarness()
        let later = daemon.watch + "/later"
        try FileManager.default.createDirectory(atPath: later, withIntermediateDirectories: true)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(Self.quick + ["ingest.recursive=true"])
        try await daemon.waitReady()
        let pid = daemon.pid
        let folderEntries: @Sendable (String) async throws -> [[String: String]] = { mode in
            try await Journald.entries(matching: "INGEST_FOLDER=\(later)") { $0["_PID"] == "\(pid)" && $0["INGEST_MODE"] == mode }
        }

        let mount = try BindMount(backing: daemon.root + "/share", at: later)
        var mounted = true
        defer { if mounted { mount.unmount() } }
        _ = try await within(20, "the journal entry for the new mount") { try await folderEntries("poll") }
        #expect(try await Self.folders(daemon)[later] == ["poll", "fuse"])
        try Self.deliver(mount.backing, "mounted.txt", "Arrived on the share after it was mounted.")
        _ = try await within(30, "the result of mounted.txt") { await outbox.await(count: 1) { $0.hasPrefix("later%2Fmounted.") } }

        mount.unmount()
        mounted = false
        _ = try await within(20, "the journal entry for the unmount") { try await folderEntries("inotify") }
        #expect(try await Self.folders(daemon)[later] == nil)
        try Self.deliver(later, "underneath.txt", "Written to the folder the mount had covered.")
        _ = try await within(30, "the result of underneath.txt") { await outbox.await(count: 1) { $0.hasPrefix("later%2Funderneath.") } }
        #expect(try await daemon.stop() == 0)
    }

    @Test("ingest.mode poll on a local file system: files are found by polling alone, with one inotify watch (on the watch folder itself)")
    func forcedPoll() async throws {
        let daemon = try DaemonHarness()
        try FileManager.default.createDirectory(atPath: daemon.watch + "/sub", withIntermediateDirectories: true)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(Self.quick + ["ingest.mode=poll", "ingest.recursive=true", "log.level=debug"])
        try await daemon.waitReady()
        #expect(Self.inotifyWatches(daemon.pid) == 1)
        try daemon.drop("polled.txt", "Found by a poll. No inotify watch reports files in this mode.")
        try Self.deliver(daemon.watch + "/sub", "below.txt", "Found by a poll too, one folder down.")
        _ = try await within(30, "both results") { await outbox.await(count: 2) { $0.hasPrefix("polled.") || $0.hasPrefix("sub%2Fbelow.") } }
        let folders = try await Self.folders(daemon)
        #expect(folders[daemon.watch]?.first == "poll")
        #expect(try await Self.ingest(daemon)["mode"] as? String == "poll")
        #expect(try await daemon.stop() == 0)
        let log = daemon.log
        #expect(log.contains("polling every 200 ms (ingest.mode is poll)"))
        #expect(log.contains("found by polling: polled.txt") && log.contains("found by polling: sub/below.txt"))
    }

    /// The watches of the daemon's inotify instance (`inotify wd:` lines of its fdinfo); nil when it has none.
    static func inotifyWatches(_ pid: pid_t) -> Int? {
        guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        for fd in fds where (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) == "anon_inode:inotify" {
            guard let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8) else { continue }
            return info.split(separator: "\n").count { $0.hasPrefix("inotify wd:") }
        }
        return nil
    }

    @Test("SIGHUP applies ingest.poll_interval_ms")
    func reloadInterval() async throws {
        let daemon = try DaemonHarness()
        let config = daemon.root + "/seedwatch.json"
        try ReloadTests.write(config, #"{"ingest": {"mode": "poll", "poll_interval_ms": 200}}"#)
        try daemon.start(ReloadTests.quick, arguments: ["--config", config])
        try await daemon.waitReady()
        #expect(try await Self.ingest(daemon)["poll_interval_ms"] as? Int == 200)
        try ReloadTests.write(config, #"{"ingest": {"mode": "poll", "poll_interval_ms": 300}}"#)
        let mark = daemon.notify.all.count
        daemon.signal(SIGHUP)
        try await ReloadTests.awaitReload(daemon, from: mark)
        try daemon.drop("after.txt", "Polled at the new interval.")
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        _ = try await within(30, "the result of after.txt") { await outbox.await(count: 1) { $0.hasPrefix("after.") } }
        #expect(try await Self.ingest(daemon)["poll_interval_ms"] as? Int == 300)
        #expect(daemon.log.contains("polling every 300 ms now (was 200 ms)"))
        #expect(try await daemon.stop() == 0)
    }

    @Test("check-config refuses a bad ingest.mode or poll interval, naming the key", arguments: [
        ("ingest.mode=sometimes", "ingest.mode"), ("ingest.poll_interval_ms=10", "ingest.poll_interval_ms"),
    ])
    func badKeys(setting: String, key: String) async throws {
        let result = try await DaemonHarness.command(["check-config", "--set", setting])
        #expect(result.status == 2)
        #expect(result.err.contains(key))
    }
}
