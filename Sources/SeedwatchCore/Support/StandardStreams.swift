import Glibc

/// Unbuffered writes to standard output and error, all bytes or as many as the stream takes
/// (a closed pipe ends the write; it is not an error worth stopping for).
public enum StandardStreams {
    public static func writeOut(_ text: String) { write(Array(text.utf8), to: STDOUT_FILENO) }
    public static func writeError(_ text: String) { write(Array(text.utf8), to: STDERR_FILENO) }

    public static func write(_ bytes: [UInt8], to fd: Int32) {
        try? POSIX.writeAll(bytes, to: fd)
    }
}
