import SeedwatchCore
import SeedwatchExecutors

/// One folder `fsync` for every name renamed in while the previous one ran (group commit): a thread
/// that finds no sync running syncs at once; threads that arrive meanwhile wait, and the first of
/// them syncs for all of them when it ends. Every caller returns only after a sync that started
/// after its call, so its name is durable, or throws that sync's error.
///
/// Blocks the calling thread: call it from a thread of the blocking pool, never from a task.
final class FolderSync: Sendable {
    let directory: String
    private let syncFolder: @Sendable (String) throws(SystemError) -> Void
    private let state = Locked(State())

    private struct State {
        var syncing = false
        var waiting: [Waiter] = []
    }

    /// A caller waiting for a sync: woken with its outcome, or to sync for everyone waiting.
    private final class Waiter: Sendable {
        enum Wake { case synced(SystemError?), lead }
        let latch = ThreadLatch()
        let wake = Locked<Wake>(.lead)
    }

    /// `syncFolder` is the sync itself; tests pass one that fails (a folder `fsync` cannot be made
    /// to fail on demand).
    init(directory: String, syncFolder: @escaping @Sendable (String) throws(SystemError) -> Void = AtomicFile.syncDirectory) {
        self.directory = directory
        self.syncFolder = syncFolder
    }

    func sync() throws(SystemError) {
        let waiter = Waiter()
        let leads = state.withLock { state in
            if state.syncing {
                state.waiting.append(waiter)
                return false
            }
            state.syncing = true
            return true
        }
        if !leads {
            waiter.latch.wait()
            if case let .synced(failure) = waiter.wake.withLock({ $0 }) {
                if let failure { throw failure }
                return
            }
        }
        // Everyone waiting now renamed their result in before this sync starts.
        var batch: [Waiter] = []
        if !leads {
            batch = state.withLock { state in
                defer { state.waiting.removeAll() }
                return state.waiting
            }
        }
        var failure: SystemError?
        do {
            try syncFolder(directory)
        } catch {
            failure = error
        }
        for other in batch where other !== waiter {
            other.wake.withLock { $0 = .synced(failure) }
            other.latch.open()
        }
        // The next leader: the first who arrived during this sync, if any.
        let next = state.withLock { state in
            guard let first = state.waiting.first else {
                state.syncing = false
                return nil as Waiter?
            }
            return first
        }
        next?.latch.open()
        if let failure { throw failure }
    }
}
