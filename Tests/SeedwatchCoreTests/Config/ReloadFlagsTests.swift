import Testing
@testable import SeedwatchCore

/// Which keys a reload (SIGHUP) applies: declared with each key, and for processors by the factory.
@Suite("Keys applied on reload")
struct ReloadFlagsTests {
    private struct Stateless: Processor, ProcessorFactory {
        static let processorName = "plain"
        static let summary = "keeps nothing"
        static let appliesConfigurationOnReload = true
        static let configKeys = [ConfigKey("depth", .integer(min: 1, max: 9), default: .integer(1), help: "how deep")]
        static func make(_ context: ProcessorContext) throws -> any Processor { Stateless() }
        let name = processorName
        func process(_ input: ProcessorInput) async throws -> any ProcessorOutput { Output() }
    }

    private struct Remembering: Processor, ProcessorFactory {
        static let processorName = "memory"
        static let summary = "keeps state across documents"
        static let configKeys = [ConfigKey("size", .integer(min: 1, max: 9), default: .integer(1), help: "how many")]
        static func make(_ context: ProcessorContext) throws -> any Processor { Remembering() }
        let name = processorName
        func process(_ input: ProcessorInput) async throws -> any ProcessorOutput { Output() }
    }

    private struct Output: ProcessorOutput {}

    @Test("a processor's keys follow its factory; timeout_ms always applies")
    func processorKeys() {
        let keys = Dictionary(ProcessorCatalog([Stateless.self, Remembering.self]).configKeys.map { ($0.name, $0.appliesOnReload) },
                              uniquingKeysWith: { first, _ in first })
        #expect(keys["processors.plain.enabled"] == true)
        #expect(keys["processors.plain.depth"] == true)
        #expect(keys["processors.plain.timeout_ms"] == true)
        #expect(keys["processors.memory.enabled"] == false)
        #expect(keys["processors.memory.size"] == false)
        #expect(keys["processors.memory.timeout_ms"] == true)
    }

    @Test("folders, the queue bound and the log target need a restart; limits and the log level do not")
    func daemonKeys() {
        let live = Set(DaemonConfigKeys.all.filter(\.appliesOnReload).map(\.name))
        #expect(live == ["ingest.ignore", "ingest.settle_ms", "ingest.max_size", "ingest.duplicates", "pipeline.max_in_flight",
                         "pipeline.timeout_ms", "pipeline.drain_timeout_ms", "log.level", "ingest.after", "ingest.done_folder"])
        #expect(ControlConfigKeys.all.allSatisfy { !$0.appliesOnReload })
    }

    @Test("a configuration error names its key when it has one")
    func errorKeys() {
        #expect(ConfigError.badValue(key: "a.b", value: "0", expected: "more").key == "a.b")
        #expect(ConfigError.unknownKey("c.d", source: "file").key == "c.d")
        #expect(ConfigError.unreadableFile(path: "/x", reason: "gone").key == nil)
    }
}
