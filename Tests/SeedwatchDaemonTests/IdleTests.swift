import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// An idle daemon does not wake up (issue 9): no thread is scheduled while nothing happens, and
/// libdispatch's worker pool, whose monitor timer fired every second, never starts.
@Suite("Idle", .timeLimit(.minutes(TestTime.minutes(2))))
struct IdleTests {
    @Test("idle after a document: no context switch on any thread for 3 s, no libdispatch thread")
    func idleDaemonNeverWakes() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()  // no WATCHDOG_USEC: no pings either
        try await daemon.waitReady()
        let mark = daemon.notify.all.count
        try daemon.drop("one.txt", "The council met on Tuesday. It approved the budget. The mayor spoke after the vote.")
        // The last thing a document does: STATUS back to watching, with it counted.
        _ = try await within(30, "STATUS after the document") { [notify = daemon.notify] in
            await notify.first(from: mark) { $0.contains("watching: queue 0, in flight 0, processed 1") }
        }
        // The threads that just sent or logged that STATUS have to reach their waits first: wait
        // until no thread's count moves between two looks 250 ms apart (bounded; under a loaded
        // machine that takes longer than any fixed margin would allow).
        var settled = ThreadSwitches.read(pid: daemon.pid)
        for _ in 0..<Int(TestTime.seconds(30) * 4) {
            try await Task.sleep(for: .milliseconds(250))
            let now = ThreadSwitches.read(pid: daemon.pid)
            if ThreadSwitches.woken(from: settled, to: now).isEmpty { break }
            settled = now
        }
        // Two quiet 3 s windows at most: a periodic wake-up (libdispatch's was 1 Hz) shows in both; a
        // one-off (a spare processor thread ending after its 10 s keep-alive) in one at most. A window
        // in which a file system was mounted or unmounted anywhere (other tests mount FUSE and tmpfs)
        // is not quiet: the mount watcher wakes for it on purpose (README, "Network shares").
        var woken: [String] = []
        var quietWindows = 0
        for _ in 0..<8 where quietWindows < 2 {
            let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            let before = ThreadSwitches.read(pid: daemon.pid)
            try await Task.sleep(for: .seconds(3))
            let after = ThreadSwitches.read(pid: daemon.pid)
            guard try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) == mounts else { continue }
            quietWindows += 1
            woken = ThreadSwitches.woken(from: before, to: after)
            if woken.isEmpty { break }
        }
        #expect(quietWindows > 0, "a file system was mounted or unmounted in every window")
        #expect(woken.isEmpty, "threads that ran while idle: \(woken)")
        let after = ThreadSwitches.read(pid: daemon.pid)
        let names = after.values.map(\.name)
        #expect(!names.contains { $0.contains("qos") || $0.contains("dispatch") }, "libdispatch threads: \(names)")
        #expect(names.contains { $0.hasPrefix("seedwatch-pool") })
        #expect(try await daemon.stop() == 0)
    }

    @Test("SEEDWATCH_EXECUTOR=dispatch keeps the runtime's executors; the daemon works the same")
    func dispatchEscapeHatch() async throws {
        let daemon = try DaemonHarness()
        try daemon.start(environment: ["SEEDWATCH_EXECUTOR": "dispatch"])
        try await daemon.waitReady()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.drop("one.txt", "The council met on Tuesday. It approved the budget.")
        _ = try await within(30, "the result") { await outbox.await(count: 1) }
        let names = ThreadSwitches.read(pid: daemon.pid).values.map(\.name)
        #expect(!names.contains { $0.hasPrefix("seedwatch-pool") }, "\(names)")
        #expect(try await daemon.stop() == 0)
        #expect(daemon.notify.all.contains { $0.contains("STOPPING=1") })
    }
}

/// Per thread of a process: its name and voluntary plus involuntary context switches so far.
enum ThreadSwitches {
    struct Thread {
        let name: String
        let switches: Int
    }

    /// The threads alive at both looks whose counts moved, described.
    static func woken(from before: [String: Thread], to after: [String: Thread]) -> [String] {
        after.compactMap { id, thread -> String? in
            guard let earlier = before[id], thread.switches != earlier.switches else { return nil }
            return "\(thread.name) (\(id)): +\(thread.switches - earlier.switches)"
        }.sorted()
    }

    /// Under a sanitizer (`make sanitize` sets `SEEDWATCH_TEST_SANITIZER`), its runtime adds a
    /// background thread that wakes ~10 times a second; it has no name of its own, so it shows
    /// the process's name on a thread other than the main one. Not the daemon's: left out then.
    static let sanitizerThreadsIgnored = ProcessInfo.processInfo.environment["SEEDWATCH_TEST_SANITIZER"] != nil

    static func read(pid: Int32) -> [String: Thread] {
        let tasks = "/proc/\(pid)/task"
        var threads: [String: Thread] = [:]
        let processName = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        for id in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            if sanitizerThreadsIgnored, id != "\(pid)",
               (try? String(contentsOfFile: "\(tasks)/\(id)/comm", encoding: .utf8)) == processName { continue }
            guard let status = try? String(contentsOfFile: "\(tasks)/\(id)/status", encoding: .utf8),
                  let name = try? String(contentsOfFile: "\(tasks)/\(id)/comm", encoding: .utf8) else { continue }
            let switches = status.split(separator: "\n")
                .filter { $0.hasPrefix("voluntary_ctxt_switches") || $0.hasPrefix("nonvoluntary_ctxt_switches") }
                .compactMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
                .reduce(0, +)
            threads[id] = Thread(name: name.trimmingCharacters(in: .whitespacesAndNewlines), switches: switches)
        }
        return threads
    }
}
