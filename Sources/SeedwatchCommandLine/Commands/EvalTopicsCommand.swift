import ArgumentParser
import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchProcessors

/// `seedwatch eval topics STREAM.jsonl`: runs the topic tracker over a stream from an empty state.
///
/// Prints one JSON line per input, `{"id":…, "topic":…, "theme":…, "alerts":[…], "near_duplicate_of":…}`,
/// for the scoring scripts in Benchmarks/topics/. Lines carry `text` and/or `title`; a line without
/// `id` (the UCI headline files) is named by its 1-based line number. `--synthetic N` instead times
/// the tracker on N generated documents and prints throughput per block.
struct EvalTopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Run the topic tracker over a JSONL stream and print its decisions."
    )

    @Argument(help: "JSONL stream: one object per line with `text` and/or `title`, optional `id`.")
    var stream: String?

    @Option(name: .customLong("set"), help: "Override a topics key, e.g. --set join_similarity=0.3 (repeatable).")
    var overrides: [String] = []

    @Option(help: "Time the tracker on this many generated documents instead of reading a stream.")
    var synthetic: Int?

    @Flag(help: "With --synthetic: persist state to an in-memory store, as the daemon does to SQLite.")
    var persist = false

    func run() async throws {
        let config = try Self.configuration(overrides)
        let background = try BackgroundModel.shipped()
        if let synthetic {
            try await SyntheticBenchmark(documents: synthetic, persist: persist).run(config: config, background: background)
            return
        }
        guard let stream else { throw ValidationError("give a STREAM.jsonl or --synthetic N") }
        let tracker = try TopicTracker(configuration: config, background: background, store: nil)
        let data = try Data(contentsOf: URL(fileURLWithPath: stream))
        var out = StandardOutputBuffer()
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard !line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) else { continue }
            guard case let .object(row) = try JSONDecoder().decode(JSONValue.self, from: Data(line)) else {
                throw ValidationError("\(stream):\(lineNumber): not a JSON object")
            }
            let id = Self.string(row["id"]) ?? String(lineNumber)
            let title = Self.string(row["title"])
            let text = Self.string(row["text"]) ?? ""
            let result = try await tracker.observe(TopicObservation(id: id, path: stream, title: title, text: text))
            out.write(Self.line(id: id, result: result))
        }
        out.flush()
    }

    static func configuration(_ overrides: [String]) throws -> TopicTrackerConfiguration {
        let prefix = "processors.\(TopicsProcessor.processorName)."
        var configuration = Configuration(schema: ConfigSchema(ProcessorCatalog([TopicsProcessor.self]).configKeys))
        for override in overrides {
            guard let equals = override.firstIndex(of: "=") else { throw ValidationError("bad --set '\(override)': expected KEY=VALUE") }
            var key = String(override[..<equals])
            if !key.hasPrefix(prefix) { key = prefix + key }
            try configuration.set(key, text: String(override[override.index(after: equals)...]), origin: "--set")
        }
        return TopicTrackerConfiguration(configuration.scope(prefix))
    }

    static func string(_ value: JSONValue?) -> String? {
        switch value {
        case let .string(s)?: s
        case let .integer(i)?: String(i)
        case let .number(d)?: String(d)
        default: nil
        }
    }

    static func line(id: String, result: TopicsResult) -> String {
        let alerts = result.alerts.map { SortedJSONEncoder.quote($0.alertClass.rawValue) }.joined(separator: ",")
        let theme = result.theme.map(SortedJSONEncoder.quote) ?? "null"
        let duplicate = result.nearDuplicateOf.map(SortedJSONEncoder.quote) ?? "null"
        return "{\"id\":\(SortedJSONEncoder.quote(id)),\"topic\":\(SortedJSONEncoder.quote(result.topic)),\"theme\":\(theme),"
            + "\"similarity\":\(result.similarity),\"alerts\":[\(alerts)],\"near_duplicate_of\":\(duplicate)}\n"
    }
}

/// Buffered standard output: one write per 64 KiB rather than per line.
struct StandardOutputBuffer {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer += text.utf8
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        StandardStreams.write(buffer, to: STDOUT_FILENO)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Times the tracker on a generated stream and prints docs/s per block of 10,000 documents, so a
/// per-document cost that grows with the stream shows as falling rates.
struct SyntheticBenchmark {
    var documents: Int
    var persist: Bool

    func run(config: TopicTrackerConfiguration, background: BackgroundModel) async throws {
        let tracker = try TopicTracker(configuration: config, background: background, store: persist ? MemoryStateStore() : nil)
        var generator = SyntheticStream(seed: 42)
        let block = 10_000
        let clock = ContinuousClock()
        let start = clock.now
        var blockStart = start
        // CPU time as well as wall time: on a shared machine the wall rate also measures the neighbours.
        let cpuStart = Self.cpuSeconds()
        var blockCPU = cpuStart
        var alerts = 0
        for index in 0..<documents {
            let observation = generator.next()
            alerts += try await tracker.observe(observation).alerts.count
            if (index + 1) % block == 0 || index + 1 == documents {
                let now = clock.now
                let cpu = Self.cpuSeconds()
                let size = (index % block) + 1
                print("docs \(index + 1 - size + 1)-\(index + 1): \(Self.rate(size, now - blockStart)) docs/s wall, "
                      + "\(Int(Double(size) / max(cpu - blockCPU, 1e-9))) docs/s CPU")
                blockStart = now
                blockCPU = cpu
            }
        }
        let stories = await tracker.storyCount
        let cpuRate = Int(Double(documents) / max(Self.cpuSeconds() - cpuStart, 1e-9))
        print("total: \(documents) docs, \(Self.rate(documents, clock.now - start)) docs/s wall, \(cpuRate) docs/s CPU, "
              + "\(alerts) alerts, \(stories) stories in memory")
    }

    /// Process CPU time in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds > 0 ? Int(Double(count) / seconds) : 0
    }
}
