import Foundation
import Testing
@testable import SeedwatchCore

/// The small replacements for Foundation-only API (the daemon links FoundationEssentials only).
@Suite("Platform support without Foundation")
struct PlatformSupportTests {
    @Test("printf-style formats give what C gives, however long the result")
    func cFormat() {
        #expect(CFormat.string("%.3f", 0.5) == "0.500")
        #expect(CFormat.string("%02ld:%02ld:%02ld.%03ld", 7, 5, 9, 42) == "07:05:09.042")
        #expect(CFormat.string("%ld documents, %.0f docs/s", 2225, 164.8) == "2225 documents, 165 docs/s")
        #expect(CFormat.string("%0300ld", 7) == String(repeating: "0", count: 299) + "7")
    }

    @Test("percent decoding: sequences decoded, malformed ones and non-UTF-8 bytes refused")
    func percentDecoding() {
        #expect("a%20b%2Fc".percentDecoded == "a b/c")
        #expect("caf%C3%A9".percentDecoded == "café")
        #expect("plain".percentDecoded == "plain")
        #expect("%".percentDecoded == nil)
        #expect("%4".percentDecoded == nil)
        #expect("%zz".percentDecoded == nil)
        #expect("%FF".percentDecoded == nil)
    }

    @Test("file errors say what the system says, from the errno inside")
    func fileErrors() throws {
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent-seedwatch/x.json"))
            Issue.record("read a file that does not exist")
        } catch {
            #expect(SystemError.code(of: error) == ENOENT)
            #expect(SystemError.describe(error) == "No such file or directory")
        }
        struct Other: Error {}
        #expect(SystemError.code(of: Other()) == nil)
        #expect(SystemError.describe(Other()) == "Other()")
    }

    @Test("a detached thread runs its body, under its name cut to the kernel's 15 bytes")
    func detachedThread() async {
        let name = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            DetachedThread.start(name: "seedwatch-a-long-thread-name") {
                let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                continuation.resume(returning: comm.trimmingCharacters(in: .newlines))
            }
        }
        #expect(name == "seedwatch-a-lon")
    }

    @Test("standard stream writes deliver every byte, also past a pipe's buffer")
    func standardStreams() async throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 200_000)
        // The writer blocks once the pipe is full, so it runs on a thread of its own.
        DetachedThread.start(name: "test-writer") {
            StandardStreams.write(payload, to: writeEnd)
            close(writeEnd)
        }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            total += count
        }
        close(readEnd)
        #expect(total == payload.count)
    }
}
