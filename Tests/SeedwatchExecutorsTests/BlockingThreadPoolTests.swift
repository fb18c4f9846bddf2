import Glibc
import SeedwatchTestSupport
import Testing
@testable import SeedwatchExecutors

@Suite("BlockingThreadPool", .timeLimit(.minutes(TestTime.minutes(1))))
struct BlockingThreadPoolTests {
    @Test func blockedThreadDoesNotHoldBackOtherWork() async {
        // Kept alive longer than any wait here: a thread that ran its work and then idled out
        // before the check would be counted as never started.
        let pool = BlockingThreadPool(name: "test-block", keepAlive: .seconds(600))
        let release = ThreadLatch()
        let ran = ThreadLatch()
        pool.execute { release.wait() }  // a runaway processor
        pool.execute { ran.open() }
        await awaitOpening(ran)
        #expect(pool.threadCount >= 2)
        release.open()
    }

    @Test func blockedSerialQueueDoesNotHoldBackAnotherQueue() async {
        let release = ThreadLatch()
        let ran = ThreadLatch()
        let stuck = SerialThreadQueue()
        stuck.async { release.wait() }
        SerialThreadQueue().async { ran.open() }
        // Bounded: a queue held back by the stuck one fails here instead of hanging the suite.
        #expect(await opens(ran, within: 10))
        release.open()
    }

    @Test func serialQueueRunsInOrderOneAtATime() async {
        let queue = SerialThreadQueue()
        let order = Recorder<Int>()
        let done = ThreadLatch()
        for index in 0..<200 { queue.async { order.append(index) } }
        queue.async { done.open() }
        await awaitOpening(done)
        #expect(order.values == Array(0..<200))
    }

    @Test func taskPreferringASerialQueueRunsThere() async {
        let name = await Task(executorPreference: SerialThreadQueue()) { currentThreadName() }.value
        #expect(name.hasPrefix("seedwatch-block"))
    }

    @Test func idleThreadsExitAfterKeepAlive() async {
        let pool = BlockingThreadPool(name: "test-idle", keepAlive: .milliseconds(50))
        let done = ThreadLatch()
        pool.execute { done.open() }
        await awaitOpening(done)
        #expect(await eventually { pool.threadCount == 0 })
    }
}

@Suite("LimitTimers", .timeLimit(.minutes(TestTime.minutes(1))))
struct LimitTimersTests {
    @Test func firesInDeadlineOrder() async {
        let timers = LimitTimers(name: "test-timer")
        let order = Recorder<Int>()
        let last = ThreadLatch()
        // Deadlines 100 ms apart (1 s under sanitizers): scheduling the four must take less than a
        // step, or the order tested would be the order of scheduling.
        let step = Int(TestTime.seconds(0.1) * 1000)
        let delays = [3, 1, 5, 2]
        for (index, delay) in delays.enumerated() {
            _ = timers.schedule(after: .milliseconds(delay * step)) {
                order.append(index)
                if delay == 5 { last.open() }
            }
        }
        await awaitOpening(last)
        #expect(order.values == [1, 3, 0, 2])
        #expect(timers.scheduledCount == 0)
    }

    @Test func cancelledTimerNeverFires() async {
        let timers = LimitTimers(name: "test-timer")
        let fired = Recorder<Int>()
        let after = ThreadLatch()
        // The cancel must come before the deadline: 200 ms (2 s under sanitizers) leaves room.
        let step = Int(TestTime.seconds(0.1) * 1000)
        let cancelled = timers.schedule(after: .milliseconds(2 * step)) { fired.append(1) }
        cancelled.cancel()
        #expect(timers.scheduledCount == 0)
        _ = timers.schedule(after: .milliseconds(4 * step)) { after.open() }
        await awaitOpening(after)
        #expect(fired.values.isEmpty)
    }

    @Test func firesWhileEveryPoolThreadIsBusy() async {
        let pool = WorkerPoolExecutor(threadCount: 1, name: "test-busy")
        let timers = LimitTimers(name: "test-timer")
        let release = ThreadLatch()
        let fired = ThreadLatch()
        // The pool's only thread spins in a blocking wait, as a CPU-bound processor would hold it.
        let hog = Task(executorPreference: pool) { release.wait() }
        _ = timers.schedule(after: .milliseconds(20)) { fired.open() }
        #expect(await opens(fired, within: 10))
        release.open()
        await hog.value
    }
}
