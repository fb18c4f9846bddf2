import Glibc
import SeedwatchTestSupport
import Testing
@testable import SeedwatchExecutors

@Suite("WorkerPoolExecutor", .timeLimit(.minutes(TestTime.minutes(1))))
struct WorkerPoolExecutorTests {
    static let pool = WorkerPoolExecutor(threadCount: 2, name: "test-pool")

    @Test func runsTasksOnItsOwnThreads() async {
        let name = await Task(executorPreference: Self.pool) { currentThreadName() }.value
        #expect(name.hasPrefix("test-pool-"))
    }

    @Test func delayedJobsRunInDeadlineOrder() async throws {
        let pool = WorkerPoolExecutor(threadCount: 2, name: "test-order")
        let order = Recorder<Int>()
        // Sleeps 100 ms apart (1 s under sanitizers): the tasks must all start within a step.
        let step = Int(TestTime.seconds(0.1) * 1000)
        await withTaskGroup(of: Void.self) { group in
            for (index, delay) in [3, 1, 2, 0].enumerated() {
                group.addTask(executorPreference: pool) {
                    try? await Task.sleep(for: .milliseconds(delay * step))
                    order.append(index)
                    #expect(currentThreadName().hasPrefix("test-order-"))
                }
            }
        }
        #expect(order.values == [3, 1, 2, 0])
        #expect(pool.delayedJobCount == 3)  // the zero delay runs at once
    }

    @Test func sleepingTaskCancelledWakesAtOnce() async {
        let started = ContinuousClock.now
        let sleeper = Task(executorPreference: Self.pool) { () -> Bool in
            do {
                try await Task.sleep(for: .seconds(600))
                return false
            } catch {
                return error is CancellationError
            }
        }
        try? await Task.sleep(for: .milliseconds(20))
        sleeper.cancel()
        #expect(await sleeper.value)
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func continuationResumedFromForeignThreadContinuesOnPool() async {
        let name = await Task(executorPreference: Self.pool) { () -> String in
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                _ = Threads.start(name: "test-foreign") { continuation.resume() }
            }
            return currentThreadName()
        }.value
        #expect(name.hasPrefix("test-pool-"))
    }

    @Test func delayedJobFiresWhileOtherWorkersAreIdle() async throws {
        // Many short sleeps back to back: the timer-waiter role is handed between workers.
        let total = await Task(executorPreference: Self.pool) { () -> Int in
            var count = 0
            for _ in 0..<50 {
                try? await Task.sleep(for: .milliseconds(1))
                count += 1
            }
            return count
        }.value
        #expect(total == 50)
    }
}

@Suite("MainThreadExecutor", .timeLimit(.minutes(TestTime.minutes(1))))
struct MainThreadExecutorTests {
    /// An actor whose jobs run on a `MainThreadExecutor`, as the main actor's do in the daemon.
    actor OnExecutor {
        let executor: MainThreadExecutor
        init(_ executor: MainThreadExecutor) { self.executor = executor }
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        func threadName() -> String { currentThreadName() }
    }

    @Test func runsJobsOnTheThreadThatRunsItUntilStopped() async throws {
        let executors = Recorder<MainThreadExecutor>()
        let stopped = ThreadLatch()
        let ready = ThreadLatch()
        #expect(Threads.start(name: "test-main") {
            let executor = MainThreadExecutor()
            executors.append(executor)
            ready.open()
            try? executor.run()
            stopped.open()
        })
        await awaitOpening(ready)
        let executor = try #require(executors.values.first)
        let actor = OnExecutor(executor)
        #expect(await actor.threadName() == "test-main")
        executor.stop()
        await awaitOpening(stopped)
    }

    @Test func refusesToRunOnAnotherThread() throws {
        let executors = Recorder<MainThreadExecutor>()
        let created = ThreadLatch()
        #expect(Threads.start(name: "test-owner") {
            executors.append(MainThreadExecutor())
            created.open()
        })
        created.wait()
        let executor = try #require(executors.values.first)
        try executor.run()  // returns at once: not the owner thread
        #expect(executor.isIsolatingCurrentContext() == false)
    }
}
