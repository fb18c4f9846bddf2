import Glibc

/// The one place where system calls are retried when a signal interrupts them (EINTR): every
/// read, write, poll and wait of the daemon goes through here.
public enum POSIX {
    /// Calls `call` again while it fails with EINTR; returns its last result, with `errno` as
    /// that call left it.
    public static func retryingInterrupts<Result: FixedWidthInteger & SignedInteger>(_ call: () -> Result) -> Result {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// Reads what is ready into `buffer`: the byte count, 0 at end of file, -1 with `errno` set.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        retryingInterrupts { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes every byte of `bytes` to `fd`; a write that takes nothing fails with EIO.
    public static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String? = nil) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = retryingInterrupts {
                bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress?.advanced(by: offset), raw.count - offset) }
            }
            if written < 0 { throw SystemError(operation: "write", path: path) }
            if written == 0 { throw SystemError(operation: "write", path: path, code: EIO) }
            offset += written
        }
    }
}
