import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchIngest

/// Real inotify on a real temporary folder. Every test ends by awaiting an event it caused, so
/// "nothing else arrived" is checked against everything the kernel reported before that event.
@Suite("DirectoryWatcher")
struct DirectoryWatcherTests {
    private func withWatcher(
        recursive: Bool = false,
        _ body: (_ root: String, _ watcher: DirectoryWatcher, _ events: AsyncStream<[WatchEvent]>) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { folder in
            let root = folder + "/watch"
            try makeDirectory(root)
            let watcher = try DirectoryWatcher(root: root, recursive: recursive, ignore: IgnorePatterns(DaemonConfigKeys.defaultIgnore))
            defer { watcher.stop() }
            try await body(root, watcher, watcher.events())
        }
    }

    @Test("a file closed after writing arrives once")
    func closeWriteArrival() async throws {
        try await withWatcher { root, _, events in
            try writeFile(root + "/a.txt", "hello")
            let seen = try await awaitEvents(events, through: .arrived("a.txt"))
            #expect(seen == [.arrived("a.txt")])
        }
    }

    @Test("an atomic rename arrives under its final name only")
    func atomicRename() async throws {
        try await withWatcher { root, _, events in
            try writeFile(root + "/x.part", "partial, then complete")
            #expect(rename(root + "/x.part", root + "/x.txt") == 0)
            let seen = try await awaitEvents(events, through: .arrived("x.txt"))
            #expect(seen == [.arrived("x.txt")])
        }
    }

    @Test("a file moved in from outside the watch folder arrives")
    func moveIn() async throws {
        try await withWatcher { root, _, events in
            let outside = root + "/../outside.txt"
            try writeFile(outside, "made elsewhere")
            #expect(rename(outside, root + "/moved.txt") == 0)
            let seen = try await awaitEvents(events, through: .arrived("moved.txt"))
            #expect(seen == [.arrived("moved.txt")])
        }
    }

    @Test("temporary names of copy tools never count as arrived")
    func ignoredNames() async throws {
        try await withWatcher { root, _, events in
            for name in [".hidden", "a.part", "b.tmp", ".c.swp", "d.txt~", "e.filepart", "f.crdownload"] {
                try writeFile(root + "/" + name, "temporary")
            }
            try writeFile(root + "/sentinel.txt", "done")
            let seen = try await awaitEvents(events, through: .arrived("sentinel.txt"))
            #expect(seen == [.arrived("sentinel.txt")])
        }
    }

    @Test("a FIFO and a symbolic link are special, never arrived")
    func specialEntries() async throws {
        try await withWatcher { root, _, events in
            try makeFIFO(root + "/pipe")
            try makeSymlink(root + "/link.txt", to: "/etc/hostname")
            let seen = try await awaitEvents(events) { $0.contains(.special("pipe")) && $0.contains(.special("link.txt")) }
            #expect(seen == [.special("pipe"), .special("link.txt")])
        }
    }

    @Test("a hard link to an existing file arrives (no close-after-write follows a link)")
    func hardLink() async throws {
        try await withWatcher { root, _, events in
            try writeFile(root + "/original.txt", "content")
            _ = try await awaitEvents(events, through: .arrived("original.txt"))
            #expect(link(root + "/original.txt", root + "/second.txt") == 0)
            let seen = try await awaitEvents(events, through: .arrived("second.txt"))
            #expect(seen == [.arrived("second.txt")])
        }
    }

    @Test("a name that is not UTF-8 is reported escaped")
    func badName() async throws {
        try await withWatcher { root, _, events in
            try makeFile(in: root, rawName: [0x62, 0xFF, 0x2E, 0x74, 0x78, 0x74])
            let seen = try await awaitEvents(events, through: .badName("b%FF.txt"))
            #expect(seen == [.badName("b%FF.txt")])
        }
    }

    @Test("recursive: a new sub-folder is announced and watched, then its files arrive")
    func recursiveNewFolder() async throws {
        try await withWatcher(recursive: true) { root, _, events in
            try makeDirectory(root + "/sub")
            let announced = try await awaitEvents(events, through: .directoryAppeared("sub"))
            #expect(announced == [.directoryAppeared("sub")])
            try makeDirectory(root + "/sub/deeper")
            _ = try await awaitEvents(events, through: .directoryAppeared("sub/deeper"))
            try writeFile(root + "/sub/deeper/a.txt", "nested")
            try writeFile(root + "/sub/.hidden", "ignored")
            try writeFile(root + "/sub/b.txt", "nested")
            let seen = try await awaitEvents(events, through: .arrived("sub/b.txt"))
            #expect(seen == [.arrived("sub/deeper/a.txt"), .arrived("sub/b.txt")])
        }
    }

    @Test("recursive: existing sub-folders are watched with watchSubfolders")
    func recursiveExistingFolders() async throws {
        try await withTemporaryDirectory { folder in
            let root = folder + "/watch"
            try makeDirectory(root)
            try makeDirectory(root + "/old")
            let watcher = try DirectoryWatcher(root: root, recursive: true, ignore: IgnorePatterns(DaemonConfigKeys.defaultIgnore))
            defer { watcher.stop() }
            watcher.watchSubfolders(["old"])
            let events = watcher.events()
            try writeFile(root + "/old/a.txt", "in an existing sub-folder")
            let seen = try await awaitEvents(events, through: .arrived("old/a.txt"))
            #expect(seen == [.arrived("old/a.txt")])
        }
    }

    @Test("recursive: a sub-folder renamed inside the watch folder reports files under its new name")
    func recursiveFolderRenamed() async throws {
        try await withWatcher(recursive: true) { root, _, events in
            try makeDirectory(root + "/before")
            _ = try await awaitEvents(events, through: .directoryAppeared("before"))
            #expect(rename(root + "/before", root + "/after") == 0)
            _ = try await awaitEvents(events, through: .directoryAppeared("after"))
            try writeFile(root + "/after/a.txt", "renamed folder")
            let seen = try await awaitEvents(events, through: .arrived("after/a.txt"))
            #expect(seen == [.arrived("after/a.txt")])
        }
    }

    @Test("recursive: a sub-folder moved out of the watch folder is no longer reported")
    func recursiveFolderMovedOut() async throws {
        try await withWatcher(recursive: true) { root, watcher, events in
            try makeDirectory(root + "/sub")
            _ = try await awaitEvents(events, through: .directoryAppeared("sub"))
            try makeDirectory(root + "/sub/deeper")
            _ = try await awaitEvents(events, through: .directoryAppeared("sub/deeper"))
            let outside = root + "/../moved-out"
            #expect(rename(root + "/sub", outside) == 0)
            try writeFile(outside + "/a.txt", "no longer under the watch folder")
            try writeFile(outside + "/deeper/b.txt", "nor this")
            try writeFile(root + "/sentinel.txt", "done")
            let seen = try await awaitEvents(events, through: .arrived("sentinel.txt"))
            #expect(seen == [.arrived("sentinel.txt")])
            #expect(watcher.watchedFolders == [""])
            // A new folder under the old name is watched afresh.
            try makeDirectory(root + "/sub")
            _ = try await awaitEvents(events, through: .directoryAppeared("sub"))
            try writeFile(root + "/sub/c.txt", "new folder, old name")
            let again = try await awaitEvents(events, through: .arrived("sub/c.txt"))
            #expect(again == [.arrived("sub/c.txt")])
        }
    }

    @Test("recursive: of two sub-folders whose names differ only in Unicode normalisation, one moved out leaves the other watched")
    func recursiveNormalisationForms() async throws {
        try await withWatcher(recursive: true) { root, watcher, events in
            let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
            try makeDirectory(root + "/" + composed)
            try makeDirectory(root + "/" + decomposed)
            _ = try await awaitEvents(events) { seen in
                seen.filter { if case .directoryAppeared = $0 { true } else { false } }.count == 2
            }
            #expect(watcher.watchedFolders.count == 3)
            #expect(rename(root + "/" + composed, root + "/../moved-out") == 0)
            try writeFile(root + "/" + decomposed + "/b.txt", "still watched")
            let seen = try await awaitEvents(events, through: .arrived(decomposed + "/b.txt"))
            #expect(seen.contains(.arrived(decomposed + "/b.txt")))
            #expect(watcher.watchedFolders.count == 2)
        }
    }

    @Test("not recursive: sub-folders and their files are not reported")
    func notRecursive() async throws {
        try await withWatcher(recursive: false) { root, _, events in
            try makeDirectory(root + "/sub")
            try writeFile(root + "/sub/a.txt", "nested")
            try writeFile(root + "/top.txt", "top")
            let seen = try await awaitEvents(events, through: .arrived("top.txt"))
            #expect(seen == [.arrived("top.txt")])
        }
    }

    @Test("the watch root deleted ends the watch with rootGone")
    func rootDeleted() async throws {
        try await withWatcher { root, _, events in
            #expect(rmdir(root) == 0)
            let seen = try await awaitEvents(events) { $0.contains { if case .rootGone = $0 { true } else { false } } }
            guard case let .rootGone(reason)? = seen.first else {
                Issue.record("expected rootGone first, got \(seen)")
                return
            }
            #expect(reason.contains(root))
        }
    }

    @Test("the watch root moved away ends the watch with rootGone")
    func rootMoved() async throws {
        try await withWatcher { root, _, events in
            #expect(rename(root, root + "-moved") == 0)
            defer { rmdir(root + "-moved") }
            let seen = try await awaitEvents(events) { $0.contains { if case .rootGone = $0 { true } else { false } } }
            #expect(seen.allSatisfy { if case .rootGone = $0 { true } else { false } })
        }
    }

    @Test("an injected queue overflow means a full rescan")
    func injectedOverflow() async throws {
        try await withWatcher { _, watcher, _ in
            let buffer = InotifyEventParser.encode([InotifyEvent(watch: -1, mask: InotifyMask.overflow)])
            let parsed = buffer.withUnsafeBytes { InotifyEventParser.parse($0) }
            #expect(parsed.flatMap(watcher.interpret) == [.overflow])
        }
    }

    @Test("interpret: events on unknown watches, and raw events that do not count, map to nothing")
    func interpretIgnoresNoise() async throws {
        try await withWatcher { _, watcher, _ in
            #expect(watcher.interpret(InotifyEvent(watch: 9999, mask: InotifyMask.closeWrite, name: Array("a.txt".utf8))) == [])
        }
    }
}
