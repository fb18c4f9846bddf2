import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchIngest

/// The poller on real folders, with the clock passed in: each poll is one call, no waiting.
@Suite("FolderPoller")
struct FolderPollerTests {
    private let ignore = IgnorePatterns(DaemonConfigKeys.defaultIgnore)
    private let interval = Duration.seconds(2)

    private func poller(_ root: String, recursive: Bool = false) -> FolderPoller {
        FolderPoller(root: root, recursive: recursive, ignore: { [ignore] in ignore })
    }

    @Test("a new file is handed on once its size and mtime stayed the same over one interval; a growing file is not read early")
    func settle() async throws {
        try await withTemporaryDirectory { root in
            let poller = poller(root)
            poller.add(root: "", known: [])
            let start = ContinuousClock.now
            try writeFile(root + "/growing.txt", "first part")
            #expect(poller.poll(now: start + .seconds(2), interval: interval) == [])
            try writeFile(root + "/growing.txt", Array(" and more".utf8), append: true)
            // Changed since the last poll: its wait starts again.
            #expect(poller.poll(now: start + .seconds(4), interval: interval) == [])
            #expect(poller.poll(now: start + .seconds(5), interval: interval) == [])
            #expect(poller.poll(now: start + .seconds(6), interval: interval) == [.arrived("growing.txt")])
            #expect(poller.poll(now: start + .seconds(8), interval: interval) == [])
            #expect(poller.counts.waiting == 0)
        }
    }

    @Test("an unchanged folder is not listed again: an idle poll costs one stat")
    func idleCostsOneStat() async throws {
        try await withTemporaryDirectory { root in
            for index in 0..<500 { try writeFile(root + "/doc-\(index).txt", "document \(index)") }
            let poller = poller(root)
            poller.add(root: "", known: (0..<500).map { "doc-\($0).txt" })
            #expect(poller.counts.listings == 1)
            let start = ContinuousClock.now
            for step in 1...5 { #expect(poller.poll(now: start + interval * step, interval: interval) == []) }
            #expect(poller.counts.listings == 1)
            try writeFile(root + "/new.txt", "a new one")
            #expect(poller.poll(now: start + .seconds(20), interval: interval) == [])
            // Listed once for the change, once more in case the folder's timestamps are coarse.
            #expect(poller.poll(now: start + .seconds(22), interval: interval) == [.arrived("new.txt")])
            #expect(poller.poll(now: start + .seconds(24), interval: interval) == [])
            #expect(poller.counts.listings == 3)
        }
    }

    @Test("files the catch-up scan queued are known; any other found when polling starts is handed on")
    func knownFiles() async throws {
        try await withTemporaryDirectory { root in
            try writeFile(root + "/queued.txt", "queued by the scan")
            try writeFile(root + "/late.txt", "landed after the scan")
            let poller = poller(root)
            poller.add(root: "", known: ["queued.txt"])
            let start = ContinuousClock.now
            #expect(poller.poll(now: start + interval, interval: interval) == [.arrived("late.txt")])
        }
    }

    @Test("recursive: new sub-folders and their files are found, specials reported once, ignored names left out, removed ones forgotten")
    func recursive() async throws {
        try await withTemporaryDirectory { root in
            let poller = poller(root, recursive: true)
            poller.add(root: "", known: [])
            let start = ContinuousClock.now
            try makeDirectory(root + "/sub")
            try makeDirectory(root + "/sub/deeper")
            try writeFile(root + "/sub/deeper/x.txt", "deep")
            try writeFile(root + "/.hidden", "ignored")
            try writeFile(root + "/copy.part", "ignored")
            try makeFIFO(root + "/pipe")
            #expect(poller.poll(now: start + .seconds(1), interval: interval) == [.special("pipe")])
            #expect(poller.poll(now: start + .seconds(3), interval: interval) == [.arrived("sub/deeper/x.txt")])
            #expect(poller.counts.folders == 3)
            try writeFile(root + "/sub/deeper/y.txt", "second")
            #expect(unlink(root + "/sub/deeper/y.txt") == 0)
            #expect(unlink(root + "/sub/deeper/x.txt") == 0)
            #expect(rmdir(root + "/sub/deeper") == 0)
            #expect(poller.poll(now: start + .seconds(5), interval: interval) == [])
            #expect(poller.counts.folders == 2)
            #expect(poller.counts.waiting == 0)
        }
    }

    @Test("a file replaced by a rename is handed on again, even with the same size and mtime")
    func replaced() async throws {
        try await withTemporaryDirectory { root in
            try writeFile(root + "/report.txt", "version one")
            try setModified(root + "/report.txt", seconds: 1_700_000_000)
            let poller = poller(root)
            poller.add(root: "", known: ["report.txt"])
            let start = ContinuousClock.now
            try writeFile(root + "/.report.txt.part", "version two")
            try setModified(root + "/.report.txt.part", seconds: 1_700_000_000)
            #expect(rename(root + "/.report.txt.part", root + "/report.txt") == 0)
            #expect(poller.poll(now: start + .seconds(1), interval: interval) == [])
            #expect(poller.poll(now: start + .seconds(3), interval: interval) == [.arrived("report.txt")])
        }
    }

    @Test("the watch folder gone is reported as such")
    func rootGone() async throws {
        try await withTemporaryDirectory { parent in
            let root = parent + "/in"
            try makeDirectory(root)
            let poller = poller(root)
            poller.add(root: "", known: [])
            #expect(rmdir(root) == 0)
            let events = poller.poll(now: .now + interval, interval: interval)
            guard case .rootGone? = events.first else {
                Issue.record("expected rootGone, got \(events)")
                return
            }
            #expect(events.count == 1)
        }
    }
}
