import Foundation
import Glibc

/// A small tmpfs mounted for a test: a second file system, so moves across file systems are real.
/// Mounting needs root (CI runs as root); tests that use it are enabled only for root, and the
/// skip says so.
public final class TmpfsMount: Sendable {
    public let path: String

    public static var possible: Bool { getuid() == 0 }

    public init(at path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let status = Self.run(["/bin/mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", path])
        guard status == 0 else { throw POSIXError(.EPERM) }
    }

    public func unmount() {
        _ = Self.run(["/bin/umount", "-l", path])
    }

    private static func run(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
