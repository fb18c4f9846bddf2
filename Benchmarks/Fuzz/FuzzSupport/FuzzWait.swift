// For targets whose code under test answers on another thread or in a task: the fuzz callback
// is synchronous, so it blocks on a POSIX semaphore until the answer is in.
import Glibc

/// A count a thread waits on until another posts it.
public final class FuzzSignal: @unchecked Sendable {
    private let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    public init() { sem_init(semaphore, 0, 0) }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    public func post() { sem_post(semaphore) }

    /// Blocks until a `post`, across interrupted waits.
    public func wait() { while sem_wait(semaphore) != 0 && errno == EINTR {} }
}

/// Runs `body` in a task and blocks the calling thread (libFuzzer's, never a task's) until it ends.
public func runBlocking(_ body: @escaping @Sendable () async -> Void) {
    let done = FuzzSignal()
    Task {
        await body()
        done.post()
    }
    done.wait()
}

/// Stops the run with a message libFuzzer keeps in its log; the input is saved as a crash.
public func fuzzInvariantBroken(_ message: String) -> Never {
    // stderr, unbuffered: a message left in stdout's buffer would be lost to the abort.
    let line = Array("fuzz invariant broken: \(message)\n".utf8)
    _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    abort()
}
