#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import SeedwatchCore

/// Reads a pipe on a dedicated thread and hands over complete lines.
///
/// Blocking `read` is fine on a thread of our own; it would starve the cooperative pool. A line
/// longer than `maxLine` is reported once as an overflow and the rest of the stream is drained
/// and dropped, so memory stays bounded whatever the plugin writes.
enum LineReader {
    enum Event: Sendable {
        case line([UInt8])
        case overflow
        case end
    }

    /// Starts the thread; it closes `fd` at end of stream after delivering `.end`.
    static func start(fd: Int32, maxLine: Int, name: String, _ handle: @escaping @Sendable (Event) -> Void) {
        DetachedThread.start(name: name) {
            var pending: [UInt8] = []
            var overflowed = false
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { POSIX.read(fd, into: $0) }
                if count <= 0 { break }
                if overflowed { continue }
                var start = 0
                for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                    pending.append(contentsOf: buffer[start..<index])
                    start = index + 1
                    if pending.count > maxLine { break }
                    handle(.line(pending))
                    pending.removeAll(keepingCapacity: true)
                }
                if !overflowed, start < count { pending.append(contentsOf: buffer[start..<count]) }
                if pending.count > maxLine {
                    overflowed = true
                    pending = []
                    handle(.overflow)
                }
            }
            if !overflowed, !pending.isEmpty { handle(.line(pending)) }
            _ = close(fd)
            handle(.end)
        }
    }
}
