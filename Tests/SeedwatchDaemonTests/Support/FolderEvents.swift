import Foundation
import SeedwatchIngest
import SeedwatchCore

/// Watches a folder with real inotify and lets a test await files appearing in it (by rename or
/// close-after-write), checking each result file as it lands.
final class FolderEvents: Sendable {
    let folder: String
    private let inotify: Inotify
    /// Each name once, in order of first appearance, told apart by bytes: a `Set<String>` would
    /// merge two spellings of one name in different Unicode normalisations, which are two files.
    private let seen = Locked<(names: [String], bytes: Set<[UInt8]>)>(([], []))
    /// Each waiter keeps the names it matched so far: a new name is checked once per waiter, not
    /// every name again (quadratic in a test that drops thousands of files).
    private let waiters = Locked<[Waiter]>([])
    private struct Waiter {
        let count: Int
        let filter: @Sendable (String) -> Bool
        let continuation: CheckedContinuation<[String], Never>
        var matched: [String]
    }
    private let onFile: @Sendable (String) -> Void

    init(folder: String, onFile: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.folder = folder
        self.onFile = onFile
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        inotify = try Inotify()
        _ = try inotify.addWatch(path: folder, mask: InotifyMask.closeWrite | InotifyMask.movedTo)
        let stream = inotify.events()
        Task { [self] in
            for await batch in stream {
                for event in batch where !event.name.isEmpty {
                    let name = String(decoding: event.name, as: UTF8.self)
                    if name.hasPrefix(".") { continue }
                    self.onFile(folder + "/" + name)
                    self.record(name)
                }
            }
        }
    }

    func stop() { inotify.stop() }

    var names: [String] { seen.withLock { $0.names } }

    /// Waits until `count` distinct names matching `filter` have appeared (including earlier ones).
    func await(count: Int, matching filter: @escaping @Sendable (String) -> Bool = { $0.hasSuffix(".json") }) async -> [String] {
        await withCheckedContinuation { continuation in
            let done: [String]? = seen.withLock { seen in
                let matching = seen.names.filter(filter)
                if matching.count >= count { return matching }
                waiters.withLock { $0.append(Waiter(count: count, filter: filter, continuation: continuation, matched: matching)) }
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func record(_ name: String) {
        let ready: [(CheckedContinuation<[String], Never>, [String])] = seen.withLock { seen in
            guard seen.bytes.insert(Array(name.utf8)).inserted else { return [] }
            seen.names.append(name)
            return waiters.withLock { waiting in
                var satisfied: [(CheckedContinuation<[String], Never>, [String])] = []
                for index in waiting.indices where waiting[index].filter(name) {
                    waiting[index].matched.append(name)
                }
                waiting.removeAll { waiter in
                    guard waiter.matched.count >= waiter.count else { return false }
                    satisfied.append((waiter.continuation, waiter.matched))
                    return true
                }
                return satisfied
            }
        }
        for (continuation, names) in ready { continuation.resume(returning: names) }
    }
}
