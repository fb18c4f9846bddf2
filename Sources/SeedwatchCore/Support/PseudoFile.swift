import Glibc

/// Reads a `/proc` or `/sys` file to its end. Such files report a size of 0, and reading "the
/// file's size" (as Foundation's `String(contentsOfFile:)` does) stops after the first page:
/// `/proc/self/fdinfo/N` of an inotify instance with a hundred watches is longer than that.
public enum PseudoFile {
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
