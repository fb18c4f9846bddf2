#if canImport(Glibc)
import Glibc
#endif

/// A value behind a pthread mutex: `Synchronization.Mutex`'s interface, in a form
/// ThreadSanitizer understands. On Linux, `Mutex` locks with raw futex calls that TSan cannot see,
/// so it reports every access the lock guards as a race and real races drown in the noise.
public final class Locked<Value>: @unchecked Sendable {
    // Allocated, not stored inline: a pthread mutex must not move while in use.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Not reentrant, like `Mutex`.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
