import Foundation
import SeedwatchCore
import SeedwatchDaemon
import Testing

@Suite("External processors, configuration")
struct ExternalConfigTests {
    private func load(_ json: String, overrides: [String] = []) throws -> Configuration {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let file = fixture.path("seedwatch.json")
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        return try ConfigLoader(schema: ProcessorSetup.schema).load(file: file, defaultFile: nil, environment: [:], overrides: overrides)
    }

    @Test func declaredProcessorJoinsTheRunner() async throws {
        let configuration = try load("""
        {"processors": {"external": {"wc": {"command": ["\(PluginFixture.example("wordcount.sh"))"], "timeout_ms": 2000}}}}
        """)
        #expect(configuration.integer("processors.external.wc.concurrency") == 4, "unset fields get defaults")
        #expect(configuration.string("processors.external.wc.mode") == "per-document")
        let runner = try ProcessorSetup.makeRunner(configuration, store: MemoryStateStore())
        #expect(runner.names.contains("wc"))
        let outcomes = await runner.run(.fromText("four words right here"))
        if case let .success(value)? = outcomes.byName["wc"] {
            #expect((value as? JSONValue)?["words"] == .integer(4))
        } else {
            Issue.record("wc: \(String(describing: outcomes.byName["wc"]))")
        }
    }

    @Test func unknownFieldIsRefusedByName() throws {
        #expect(throws: ConfigError.self) {
            _ = try load(#"{"processors": {"external": {"wc": {"command": ["wc"], "comand": ["x"]}}}}"#)
        }
        do {
            _ = try load(#"{"processors": {"external": {"wc": {"command": ["wc"], "comand": ["x"]}}}}"#)
        } catch {
            #expect(String(describing: error).contains("processors.external.wc.comand"))
        }
    }

    @Test func builtInNameIsRefused() throws {
        do {
            _ = try load(#"{"processors": {"external": {"stats": {"command": ["wc"]}}}}"#)
            Issue.record("a name clash was accepted")
        } catch let error as ConfigError {
            #expect(error.description.contains("processors.external.stats"))
        }
    }

    @Test func emptyCommandAndBadEnvironmentAreRefused() throws {
        let empty = try load(#"{"processors": {"external": {"wc": {"mode": "persistent"}}}}"#)
        #expect(throws: ConfigError.self) { _ = try ProcessorSetup.requestedNames(empty) }
        let badEnvironment = try load(#"{"processors": {"external": {"wc": {"command": ["wc"], "environment": ["NOEQUALS"]}}}}"#)
        #expect(throws: ConfigError.self) { _ = try ProcessorSetup.requestedNames(badEnvironment) }
    }

    @Test func overridesReachExternalKeysAndDisableThem() throws {
        let configuration = try load(
            #"{"processors": {"external": {"wc": {"command": ["wc"]}}}}"#,
            overrides: ["processors.external.wc.enabled=false"]
        )
        #expect(try !ProcessorSetup.requestedNames(configuration).contains("wc"))
        #expect(throws: ConfigError.self) { _ = try self.load("{}", overrides: ["processors.external.wc.timeout=5"]) }
    }
}
