import Foundation
import Glibc
import Testing

/// Runs `body` with a fresh folder under the system temporary folder and removes it afterwards,
/// whatever `body` does.
@discardableResult
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("seedwatch-ingest-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Writes `bytes` with open/write/close, so the watcher sees exactly one close-after-write.
func writeFile(_ path: String, _ bytes: [UInt8], append: Bool = false) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0o644)
    guard fd >= 0 else { throw FixtureError(description: "open \(path): errno \(errno)") }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress?.advanced(by: written), raw.count - written) }
        guard count > 0 else { throw FixtureError(description: "write \(path): errno \(errno)") }
        written += count
    }
}

func writeFile(_ path: String, _ text: String) throws {
    try writeFile(path, Array(text.utf8))
}

func makeDirectory(_ path: String) throws {
    guard mkdir(path, 0o755) == 0 else { throw FixtureError(description: "mkdir \(path): errno \(errno)") }
}

func makeFIFO(_ path: String) throws {
    guard mkfifo(path, 0o644) == 0 else { throw FixtureError(description: "mkfifo \(path): errno \(errno)") }
}

func makeSymlink(_ path: String, to target: String) throws {
    guard symlink(target, path) == 0 else { throw FixtureError(description: "symlink \(path): errno \(errno)") }
}

/// Creates an empty file whose name is raw bytes (for names that are not UTF-8).
func makeFile(in folder: String, rawName: [UInt8]) throws {
    let path = Array(folder.utf8) + [UInt8(ascii: "/")] + rawName + [0]
    let fd = path.withUnsafeBufferPointer { buffer -> Int32 in
        buffer.withMemoryRebound(to: CChar.self) { characters in
            guard let base = characters.baseAddress else { return -1 }
            return open(base, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        }
    }
    guard fd >= 0 else { throw FixtureError(description: "open raw name: errno \(errno)") }
    close(fd)
}

/// Sets an entry's mtime (links themselves, not their targets), so order by mtime is known.
func setModified(_ path: String, seconds: Int) throws {
    let time = timespec(tv_sec: seconds, tv_nsec: 0)
    let times = [time, time]
    guard utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) == 0 else {
        throw FixtureError(description: "utimensat \(path): errno \(errno)")
    }
}
