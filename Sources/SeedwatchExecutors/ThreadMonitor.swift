#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex with condition variables on `CLOCK_MONOTONIC`: what every thread in this
/// module sleeps on. Heap-allocated, because pthread objects must not move while in use.
///
/// `@unchecked Sendable`: the pthread objects are the synchronisation.
final class ThreadMonitor: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int

    init(conditions count: Int = 1) {
        conditionCount = count
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        conditions = .allocate(capacity: count)
        conditions.initialize(repeating: pthread_cond_t(), count: count)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Timed waits against the monotonic clock: a wall-clock step must not stretch a deadline.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        for index in 0..<count { pthread_cond_init(conditions + index, &attributes) }
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        for index in 0..<conditionCount { pthread_cond_destroy(conditions + index) }
        conditions.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Wakes one thread waiting on `condition`. Call with the lock held.
    func signal(_ condition: Int = 0) { pthread_cond_signal(conditions + condition) }

    /// Wakes every thread waiting on `condition`. Call with the lock held.
    func broadcast(_ condition: Int = 0) { pthread_cond_broadcast(conditions + condition) }

    /// Waits on `condition` until signalled (or spuriously woken). Call with the lock held.
    func wait(_ condition: Int = 0) { pthread_cond_wait(conditions + condition, mutex) }

    /// Waits on `condition` until signalled or the monotonic clock reaches `deadline`
    /// (nanoseconds, `MonotonicClock.now`); true when the deadline passed. Call with the lock held.
    @discardableResult
    func wait(_ condition: Int = 0, until deadline: UInt64) -> Bool {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return pthread_cond_timedwait(conditions + condition, mutex, &time) == ETIMEDOUT
    }
}

/// `CLOCK_MONOTONIC` in nanoseconds: the clock `ThreadMonitor`'s timed waits use.
enum MonotonicClock {
    static var now: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// `now + delay`, saturating instead of overflowing (a limit of `.seconds(Int64.max)`).
    static func deadline(after delay: Duration) -> UInt64 {
        let nanoseconds = delay.saturatingNanoseconds
        guard nanoseconds > 0 else { return now }
        let (sum, overflow) = now.addingReportingOverflow(UInt64(nanoseconds))
        return overflow ? .max : sum
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`.
    var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflowAgain) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflowAgain { return seconds < 0 ? .min : .max }
        return total
    }
}
