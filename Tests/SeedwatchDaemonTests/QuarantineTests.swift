import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// Every file that cannot be processed gets a quarantine record with a machine-readable code.
@Suite("Quarantine", .timeLimit(.minutes(TestTime.minutes(2))))
struct QuarantineTests {
    @Test("each quarantine code, from real bad files")
    func codes() async throws {
        let daemon = try DaemonHarness()
        let quarantine = try FolderEvents(folder: daemon.quarantine)
        defer { quarantine.stop() }
        try daemon.start(["ingest.max_size=1000"])
        try await daemon.waitReady()
        let watch = daemon.watch
        try Data([0x48, 0x69, 0x00, 0x21]).write(to: URL(fileURLWithPath: watch + "/binary.txt"))
        try Data().write(to: URL(fileURLWithPath: watch + "/empty.txt"))
        try Data(repeating: 0x61, count: 2000).write(to: URL(fileURLWithPath: watch + "/large.txt"))
        try Data([0xFF, 0xFE, 0x41, 0x00, 0x42]).write(to: URL(fileURLWithPath: watch + "/odd-utf16.txt"))
        #expect(mkfifo(watch + "/pipe.txt", 0o644) == 0)
        #expect(symlink("/etc/passwd", watch + "/link.txt") == 0)
        // A name that is not UTF-8: written through the raw bytes.
        let badName = Array((watch + "/bad-").utf8) + [0xFF, 0xFE] + Array(".txt".utf8) + [0]
        let fd = badName.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
        #expect(fd >= 0)
        _ = write(fd, "text", 4)
        close(fd)

        let records = try await within(15, "seven quarantine records") { await quarantine.await(count: 7, matching: { $0.hasSuffix(".error.json") }) }
        var codes: [String: String] = [:]
        for name in records {
            let record = try daemon.json(daemon.quarantine + "/" + name)
            let code = try #require(record["code"] as? String)
            codes[String(name.prefix(while: { $0 != "." }))] = code
            #expect((record["message"] as? String)?.isEmpty == false)
            #expect((record["advice"] as? String)?.isEmpty == false)
            #expect((record["path"] as? String)?.hasPrefix(watch) == true)
            #expect(record["time"] is String)
        }
        #expect(codes["binary"] == "binary")
        #expect(codes["empty"] == "empty")
        #expect(codes["large"] == "too_large")
        #expect(codes["odd-utf16"] == "undecodable")
        #expect(codes["pipe"] == "not_regular_file")
        #expect(codes["link"] == "symlink")
        #expect(codes["bad-%25FF%25FE"] == "bad_name")
        #expect(daemon.results().isEmpty)
        // The daemon is still up and still processing.
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.drop("fine.txt", "A perfectly good document.")
        _ = try await within(10, "a result after the bad files") { await outbox.await(count: 1) }
        #expect(try await daemon.stop() == 0)
        #expect(daemon.log.contains("quarantined"))
    }

    @Test("a quarantined file that is fixed is processed and its record removed")
    func fixedFile() async throws {
        let daemon = try DaemonHarness()
        let quarantine = try FolderEvents(folder: daemon.quarantine)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer {
            quarantine.stop()
            outbox.stop()
        }
        try daemon.start()
        try await daemon.waitReady()
        try Data().write(to: URL(fileURLWithPath: daemon.watch + "/later.txt"))
        _ = try await within(10, "empty record") { await quarantine.await(count: 1, matching: { $0.hasSuffix(".error.json") }) }
        try Data("Now the document has text.".utf8).write(to: URL(fileURLWithPath: daemon.watch + "/later.txt"))
        _ = try await within(10, "result") { await outbox.await(count: 1) }
        #expect(try await daemon.stop() == 0)
        #expect(daemon.quarantined().isEmpty)
    }
}
