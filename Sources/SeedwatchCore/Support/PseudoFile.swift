import Glibc

/// Reads a `/proc` or `/sys` file to its end. Such files report a size of 0, and Foundation's
/// `String(contentsOfFile:)` stops at the first short read: one page of `/proc/PID/maps`.
public enum PseudoFile {
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readToEnd(fd).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every byte left in `fd`, reading until end of file (not until a short read); nil on an error.
    public static func readToEnd(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { POSIX.read(fd, into: $0) }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }
}
