import Glibc
import SeedwatchTestSupport
import Testing
@testable import SeedwatchExecutors

@Suite("WorkerPoolExecutor", .timeLimit(.minutes(TestTime.minutes(1))))
struct WorkerPoolExecutorTests {
    static let pool = WorkerPoolExecutor(threadCount: 2, name: "test-pool")

    actor Counter {
        var count = 0
        func increment() -> String {
            count += 1
            return currentThreadName()
        }
    }

    @Test func runsTasksOnItsOwnThreads() async {
        let name = await Task(executorPreference: Self.pool) { currentThreadName() }.value
        #expect(name.hasPrefix("test-pool-"))
    }

    @Test func childTasksAndDefaultActorsRunOnThePoolTheRootPrefers() async {
        let names = await Task(executorPreference: Self.pool) { () -> [String] in
            let counter = Counter()
            var names = await withTaskGroup(of: String.self) { group in
                for _ in 0..<4 { group.addTask { currentThreadName() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            names.append(await counter.increment())
            return names
        }.value
        #expect(names.count == 5)
        #expect(names.allSatisfy { $0.hasPrefix("test-pool-") }, "\(names)")
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

    @Test func daemonExecutorsPreferAPoolUnlessDispatchIsChosen() async throws {
        // The test process has no SEEDWATCH_EXECUTOR: the daemon's pool is in place.
        let preferred = try #require(DaemonExecutors.preferred)
        let name = await Task(executorPreference: preferred) { () -> String in
            try? await DaemonExecutors.sleep(for: .milliseconds(1))
            return currentThreadName()
        }.value
        #expect(name.hasPrefix("seedwatch-pool-"))
    }
}

/// `DaemonExecutors.sleep` on our executors: a timer of `LimitTimers` resumes the task.
@Suite("TimerSleep", .timeLimit(.minutes(TestTime.minutes(1))))
struct TimerSleepTests {
    @Test func sleepsEndInDeadlineOrderAndContinueOnThePool() async {
        let timers = LimitTimers(name: "test-sleep")
        let order = Recorder<Int>()
        // Sleeps 100 ms apart (1 s under sanitizers): the tasks must all start within a step.
        let step = Int(TestTime.seconds(0.1) * 1000)
        await withTaskGroup(of: Void.self) { group in
            for (index, delay) in [3, 1, 2, 0].enumerated() {
                group.addTask(executorPreference: WorkerPoolExecutorTests.pool) {
                    try? await TimerSleep.sleep(for: .milliseconds(delay * step), timers: timers)
                    order.append(index)
                    #expect(currentThreadName().hasPrefix("test-pool-"))
                }
            }
        }
        #expect(order.values == [3, 1, 2, 0])
        #expect(timers.scheduledCount == 0)
    }

    @Test func cancelledSleepWakesAtOnceAndForgetsItsTimer() async {
        let timers = LimitTimers(name: "test-sleep")
        let started = ContinuousClock.now
        let sleeper = Task(executorPreference: WorkerPoolExecutorTests.pool) { () -> Bool in
            do {
                try await TimerSleep.sleep(for: .seconds(600), timers: timers)
                return false
            } catch {
                return error is CancellationError
            }
        }
        #expect(await eventually { timers.scheduledCount == 1 })
        sleeper.cancel()
        #expect(await sleeper.value)
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(timers.scheduledCount == 0)
    }

    @Test func alreadyCancelledTaskThrowsWithoutATimer() async {
        let timers = LimitTimers(name: "test-sleep")
        let sleeper = Task(executorPreference: WorkerPoolExecutorTests.pool) { () -> Bool in
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                try await TimerSleep.sleep(for: .seconds(600), timers: timers)
                return false
            } catch {
                return error is CancellationError
            }
        }
        #expect(await sleeper.value)
        #expect(timers.scheduledCount == 0)
    }

    @Test func manyShortSleepsBackToBack() async {
        let timers = LimitTimers(name: "test-sleep")
        let total = await Task(executorPreference: WorkerPoolExecutorTests.pool) { () -> Int in
            var count = 0
            for _ in 0..<50 {
                try? await TimerSleep.sleep(for: .milliseconds(1), timers: timers)
                count += 1
            }
            return count
        }.value
        #expect(total == 50)
        #expect(timers.scheduledCount == 0)
    }
}
