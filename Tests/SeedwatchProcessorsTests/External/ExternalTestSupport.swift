#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import SeedwatchCore
@testable import SeedwatchProcessors
import SeedwatchTestSupport

/// Scripts written to a fresh temporary folder, and helpers to run them as processors.
struct PluginFixture {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("seedwatch-ext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes a script and returns the command that runs it through its interpreter.
    ///
    /// Not executed directly: a file just written can give ETXTBSY while another test spawns a
    /// child that inherited the writing descriptor.
    func script(_ name: String, _ body: String) throws -> [String] {
        let url = folder.appendingPathComponent(name)
        try body.write(to: url, atomically: true, encoding: .utf8)
        return [name.hasSuffix(".py") ? "python3" : "/bin/sh", url.path]
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The repository's `packaging/examples/processors/<name>`.
    static func example(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("packaging/examples/processors/\(name)").path
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

func makeExternal(
    _ name: String = "plugin", command: [String], mode: ExternalSettings.Mode = .perDocument,
    maxOutputBytes: Int = 1 << 20, concurrency: Int = 4, restartBackoffMilliseconds: Int = 100, maxFailures: Int = 5,
    environment: [String] = [], logger: Logger = Logger(label: "test")
) -> ExternalProcessor {
    ExternalProcessor(
        settings: ExternalSettings(
            name: name, command: command, mode: mode, maxOutputBytes: maxOutputBytes, environment: environment,
            concurrency: concurrency, restartBackoffMilliseconds: restartBackoffMilliseconds, maxFailures: maxFailures,
            // The failure window is real time: long enough that failures of one test stay in one window
            // even when the parallel suite starves the test process for tens of seconds (at 60 s, a
            // fresh-clone CI run once saw the first of three crashes leave it and a fourth start).
            failureWindowMilliseconds: Int(TestTime.seconds(600) * 1000)
        ),
        logger: logger
    )
}

/// Runs the processor on a small document; the result or the failure code.
func outcome(_ processor: ExternalProcessor, text: String = "one two three", name: String = "a.txt") async -> Result<JSONValue, ProcessorFailure> {
    do {
        let output = try await processor.process(ProcessorInput(document: .fromText(text, name: name)))
        guard let value = output as? JSONValue else { return .failure(ProcessorFailure(code: "wrong_type", message: "")) }
        return .success(value)
    } catch let failure as ProcessorFailure {
        return .failure(failure)
    } catch {
        return .failure(ProcessorFailure(code: "other", message: String(describing: error)))
    }
}

extension Result where Failure == ProcessorFailure {
    var failureCode: String? {
        if case let .failure(failure) = self { return failure.code }
        return nil
    }

    var value: Success? {
        if case let .success(value) = self { return value }
        return nil
    }
}

/// Whether a process is gone (or a zombie nobody reaped yet).
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
    return state == "Z" || state == "X"
}

/// Whether a process we reaped (a plugin) no longer exists: `kill(pid, 0)` fails with ESRCH.
func processHasExited(_ pid: Int32) -> Bool {
    kill(pid, 0) == -1 && errno == ESRCH
}

/// The integers in a file written by a plugin, one per line; empty while it does not exist.
func integers(in path: String) -> [Int32] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
}

/// Awaits `condition` up to `seconds`, checking every 20 ms. The bounds here are generous
/// because they are wall-clock time: when the suite starts, CPU-heavy tests can hold both
/// cooperative threads of a 2-core machine for half a minute, and nothing else runs meanwhile.
func eventually(within seconds: Double = 30, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(TestTime.seconds(seconds) * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// The task's value, or nil if it has none within `seconds` (the task is then cancelled): a
/// regression fails the test instead of hanging it.
func value<T: Sendable>(of task: Task<T, Never>, within seconds: Double = 120) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await task.value }
        group.addTask {
            try? await Task.sleep(for: .milliseconds(Int(TestTime.seconds(seconds) * 1000)))
            return nil
        }
        let first = await group.next().flatMap { $0 }
        if first == nil { task.cancel() }
        group.cancelAll()
        return first
    }
}

/// `operation`'s value, or nil if it has none within `seconds` (it is then cancelled).
func within<T: Sendable>(_ seconds: Double = 120, _ operation: @escaping @Sendable () async -> T) async -> T? {
    await value(of: Task { await operation() }, within: seconds)
}
