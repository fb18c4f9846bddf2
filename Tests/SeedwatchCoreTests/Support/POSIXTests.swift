import Glibc
import SeedwatchCore
import Testing

/// The one EINTR-retrying edge: it retries only an interrupted call, and moves every byte over a
/// real pipe.
@Suite struct POSIXTests {
    @Test func anInterruptedCallIsRetriedAndOtherFailuresAreReturned() {
        var calls = 0
        let result = POSIX.retryingInterrupts { () -> Int in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7 && calls == 3)

        calls = 0
        let failed = POSIX.retryingInterrupts { () -> Int32 in
            calls += 1
            errno = EBADF
            return -1
        }
        #expect(failed == -1 && errno == EBADF && calls == 1)
    }

    @Test func everyByteCrossesAPipeAndAClosedOneIsASystemError() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let bytes = (0..<40_000).map { UInt8(truncatingIfNeeded: $0) }
        // Less than a pipe holds (64 KiB): written whole with no reader yet, then read back whole.
        try POSIX.writeAll(bytes, to: ends[1])
        close(ends[1])
        var read: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { POSIX.read(ends[0], into: $0) }
            #expect(count >= 0)
            if count <= 0 { break }
            read += chunk[..<count]
        }
        #expect(read == bytes)

        #expect(throws: SystemError(operation: "write", path: "closed", code: EBADF)) {
            try POSIX.writeAll([1], to: ends[1], path: "closed")
        }
    }
}
