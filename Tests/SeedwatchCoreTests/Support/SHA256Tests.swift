import Foundation
import Testing
@testable import SeedwatchCore

@Suite("SHA256")
struct SHA256Tests {
    @Test("FIPS 180-4 example vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hex(of: Array(message.utf8)) == digest)
    }

    @Test("one million times 'a', in one piece and in uneven pieces")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(of: message) == expected)

        var hasher = SHA256()
        var offset = 0
        var step = 1
        while offset < message.count {
            let end = min(offset + step, message.count)
            hasher.update(message[offset..<end])
            offset = end
            step = step % 997 + 13  // sizes that straddle block boundaries in every way
        }
        #expect(SHA256.hexString(hasher.finalize()) == expected)
    }

    @Test("agrees with sha256sum around the 64-byte block and 56-byte padding boundaries")
    func matchesSha256sum() async throws {
        let lengths = [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 1000, 4096, 4097]
        var generator = SeededGenerator(state: 0x5eed)
        let buffers = lengths.map { length in (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        try await withTemporaryDirectory { folder in
            var paths: [String] = []
            for (index, buffer) in buffers.enumerated() {
                let path = "\(folder)/buffer-\(index).bin"
                try Data(buffer).write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
            let reference = try await sha256sum(paths)
            #expect(reference.count == buffers.count)
            for (index, buffer) in buffers.enumerated() {
                #expect(SHA256.hex(of: buffer) == reference[paths[index]], "length \(buffer.count)")
            }
        }
    }

    /// Digests by path, as printed by coreutils' `sha256sum`. The read and the wait happen on a
    /// thread of their own: never block the concurrency pool, which other tests share.
    private func sha256sum(_ paths: [String]) async throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = paths
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let (data, status) = await withCheckedContinuation { continuation in
            Thread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (data, process.terminationStatus))
            }.start()
        }
        try #require(status == 0)
        var digests: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            digests[String(parts[1].drop(while: { $0 == " " || $0 == "*" }))] = String(parts[0])
        }
        return digests
    }
}
