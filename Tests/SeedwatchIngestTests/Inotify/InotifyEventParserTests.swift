import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchIngest

@Suite("InotifyEventParser")
struct InotifyEventParserTests {
    private func parse(_ bytes: [UInt8]) -> [InotifyEvent] {
        bytes.withUnsafeBytes { InotifyEventParser.parse($0) }
    }

    @Test("encode then parse gives the same events, names of every padding length included")
    func roundTrip() {
        let events = [
            InotifyEvent(watch: 1, mask: InotifyMask.isDirectory | InotifyMask.deleteSelf),  // no name
            InotifyEvent(watch: 1, mask: InotifyMask.closeWrite, name: Array("a.txt".utf8)),
            InotifyEvent(watch: 2, mask: InotifyMask.movedTo, cookie: 77, name: Array("fifteen-chars.x".utf8)),
            InotifyEvent(watch: 2, mask: InotifyMask.movedFrom, cookie: 77, name: Array("sixteen-chars.xy".utf8)),
            InotifyEvent(watch: 3, mask: InotifyMask.create, name: Array("ünïcødé 🎉.md".utf8)),
            InotifyEvent(watch: -1, mask: InotifyMask.overflow),
        ]
        let bytes = InotifyEventParser.encode(events)
        #expect(bytes.count % 16 == 0)
        #expect(parse(bytes) == events)
    }

    @Test("NUL padding after a name is not part of the name")
    func nulPadding() {
        var bytes: [UInt8] = []
        for word: UInt32 in [5, InotifyMask.closeWrite, 0, 32] {
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
        }
        bytes += Array("ab".utf8) + [UInt8](repeating: 0, count: 30)
        #expect(parse(bytes) == [InotifyEvent(watch: 5, mask: InotifyMask.closeWrite, name: Array("ab".utf8))])
    }

    @Test("a truncated record at the end is dropped, the complete ones before it are kept")
    func truncated() {
        let first = InotifyEvent(watch: 1, mask: InotifyMask.closeWrite, name: Array("one.txt".utf8))
        let second = InotifyEvent(watch: 1, mask: InotifyMask.closeWrite, name: Array("two.txt".utf8))
        let bytes = InotifyEventParser.encode([first, second])
        #expect(parse(Array(bytes.dropLast(3))) == [first])  // name cut short
        #expect(parse(Array(bytes.prefix(32 + 10))) == [first])  // header cut short
        #expect(parse(Array(bytes.prefix(10))) == [])
        #expect(parse([]) == [])
    }

    @Test("an injected queue overflow parses as an overflow event")
    func overflow() {
        let bytes = InotifyEventParser.encode([
            InotifyEvent(watch: 1, mask: InotifyMask.closeWrite, name: Array("before.txt".utf8)),
            InotifyEvent(watch: -1, mask: InotifyMask.overflow),
        ])
        let events = parse(bytes)
        #expect(events.count == 2)
        #expect(events.last?.has(InotifyMask.overflow) == true)
        #expect(events.last?.name == [])
        #expect(events.last?.watch == -1)
    }

    @Test("events read from a real inotify descriptor parse like the kernel wrote them")
    func kernelBuffer() async throws {
        try await withTemporaryDirectory { folder in
            let inotify = try Inotify()
            let watch = try inotify.addWatch(path: folder, mask: InotifyMask.watched)
            try writeFile(folder + "/k.txt", "x")
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { raw in read(inotify.descriptor, raw.baseAddress, raw.count) }
            try #require(count > 0)
            let events = parse(Array(buffer.prefix(count)))
            #expect(events.contains { $0.watch == watch && $0.has(InotifyMask.create) && $0.name == Array("k.txt".utf8) })
            #expect(events.contains { $0.watch == watch && $0.has(InotifyMask.closeWrite) && $0.name == Array("k.txt".utf8) })
        }
    }
}

@Suite("Inotify")
struct InotifyTests {
    @Test("an adopted descriptor (as from systemd's fd store) delivers events, and stop ends the stream")
    func adopted() async throws {
        try await withTemporaryDirectory { folder in
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            try #require(fd >= 0)
            let inotify = try Inotify(adopting: fd)
            #expect(inotify.descriptor == fd)
            let watch = try inotify.addWatch(path: folder, mask: InotifyMask.watched)
            let events = inotify.events()
            try writeFile(folder + "/adopted.txt", "x")
            let seen = try await awaitEvents(events) { all in
                all.contains { $0.watch == watch && $0.has(InotifyMask.closeWrite) && $0.name == Array("adopted.txt".utf8) }
            }
            #expect(!seen.isEmpty)
            inotify.stop()
            #expect(await ends(events))
        }
    }

    @Test("events() can be taken once; a second stream ends at once")
    func secondStreamEnds() async throws {
        let inotify = try Inotify()
        let first = inotify.events()
        #expect(await ends(inotify.events()))
        inotify.stop()
        #expect(await ends(first))
    }

    @Test("watching a missing folder is an error naming it")
    func missingFolder() throws {
        let inotify = try Inotify()
        #expect(throws: SystemError(operation: "inotify_add_watch", path: "/nonexistent-seedwatch", code: ENOENT)) {
            try inotify.addWatch(path: "/nonexistent-seedwatch", mask: InotifyMask.watched)
        }
    }
}
