// libFuzzer target: what a plugin writes to its stdout, through the real reader. The bytes go into
// a pipe read by `LineReader` (the reader of every external processor), with a line limit taken
// from the first byte (1…256, so overflows happen), and each line it hands over goes to
// `PluginMessages.parse`. Built only with SEEDWATCH_FUZZ=1 and -enable-testing (fuzz.sh).
import FoundationEssentials
import FuzzSupport
import Glibc
import SeedwatchCore
@testable import SeedwatchProcessors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPluginProtocol(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let maxLine = Int(data[0]) + 1
    let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let events = read(stream, maxLine: maxLine)
    checkLines(events, stream: stream, maxLine: maxLine)
    for case .line(let line) in events { checkParse(line) }
    return 0
}

/// Everything `LineReader` hands over for `stream` written to a pipe and closed.
private func read(_ stream: [UInt8], maxLine: Int) -> [LineReader.Event] {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { fuzzInvariantBroken("pipe failed, errno \(errno)") }
    let collected = EventLog()
    LineReader.start(fd: fds[0], maxLine: maxLine, name: "fuzz-reader") { collected.add($0) }
    var written = 0
    while written < stream.count {
        let count = stream[written...].withUnsafeBytes { Glibc.write(fds[1], $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { fuzzInvariantBroken("write to the pipe failed, errno \(errno)") }
        written += count
    }
    close(fds[1])
    return collected.waitForEnd()
}

/// The reader's promises: lines never hold a newline nor exceed the limit; without an overflow, the
/// lines are the stream cut at its newlines; with one, the lines before it are a prefix of the
/// stream and nothing follows but the end, delivered once, last.
private func checkLines(_ events: [LineReader.Event], stream: [UInt8], maxLine: Int) {
    guard case .end = events.last else { fuzzInvariantBroken("the last event is not the end") }
    var lines: [[UInt8]] = []
    var overflows = 0
    for event in events.dropLast() {
        switch event {
        case .line(let line):
            if overflows > 0 { fuzzInvariantBroken("a line after an overflow") }
            if line.contains(UInt8(ascii: "\n")) { fuzzInvariantBroken("a line holds a newline") }
            if line.count > maxLine { fuzzInvariantBroken("a line of \(line.count) bytes over the limit \(maxLine)") }
            lines.append(line)
        case .overflow:
            overflows += 1
        case .end:
            fuzzInvariantBroken("an end before the last event")
        }
    }
    if overflows > 1 { fuzzInvariantBroken("\(overflows) overflows reported") }
    let rebuilt = Array(lines.map { $0 + [UInt8(ascii: "\n")] }.joined())
    if overflows == 0 {
        // The last line may have had no newline; every other one had.
        let expected = stream.last == UInt8(ascii: "\n") || stream.isEmpty ? stream : stream + [UInt8(ascii: "\n")]
        if rebuilt != expected { fuzzInvariantBroken("lines do not rebuild the stream") }
    } else {
        if !stream.starts(with: rebuilt) { fuzzInvariantBroken("lines before the overflow are not a prefix of the stream") }
        let longest = stream.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(\.count).max() ?? 0
        if longest <= maxLine { fuzzInvariantBroken("an overflow with no line over the limit") }
    }
}

/// A response names its id as the line does, and survives being written again by our encoder.
private func checkParse(_ line: [UInt8]) {
    switch PluginMessages.parse(line) {
    case .result(let id, let value):
        let again = PluginMessages.parse(encode(.object(["id": .string(id), "result": value])))
        guard case .result(id, let same) = again, sameJSON(value, same) else {
            fuzzInvariantBroken("a result does not parse the same once re-encoded")
        }
    case .error(let id, let failure):
        let error: JSONValue = .object(["code": .string(failure.code), "message": .string(failure.message)])
        guard case .error(id, let same) = PluginMessages.parse(encode(.object(["id": .string(id), "error": error]))),
              same.code == failure.code, same.message == failure.message else {
            fuzzInvariantBroken("an error does not parse the same once re-encoded")
        }
    case .invalid:
        break
    }
}

/// Equal JSON, where a number may come back as an integer or the other way (`2.0` is written `2`).
private func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case let (.integer(x), .number(y)), let (.number(y), .integer(x)): return Double(x) == y
    case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy(sameJSON)
    case let (.object(x), .object(y)):
        return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameJSON(value, $0) } ?? false }
    default: return a == b
    }
}

private func encode(_ value: JSONValue) -> [UInt8] {
    guard let bytes = try? JSONEncoder().encode(value) else { fuzzInvariantBroken("a parsed value does not encode") }
    return Array(bytes)
}

/// The reader's events, from its thread, handed over once the end came.
private final class EventLog: @unchecked Sendable {
    private var events: [LineReader.Event] = []
    private let ended = FuzzSignal()

    // Written only by the reader thread before `ended` is posted, read only after the wait.
    func add(_ event: LineReader.Event) {
        events.append(event)
        if case .end = event { ended.post() }
    }

    func waitForEnd() -> [LineReader.Event] {
        ended.wait()
        return events
    }
}

/// SwiftPM renames this executable's `main` to `FuzzPluginProtocol_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzPluginProtocol_main")
public func FuzzPluginProtocolMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzPluginProtocol)
}
