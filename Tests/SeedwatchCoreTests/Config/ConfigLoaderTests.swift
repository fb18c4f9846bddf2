import Foundation
import Testing
@testable import SeedwatchCore

@Suite("ConfigLoader and Configuration")
struct ConfigLoaderTests {
    /// The daemon's keys plus a few of every kind, scoped like a processor's.
    static let schema = ConfigSchema(DaemonConfigKeys.all + [
        ConfigKey("processors.stats.enabled", .bool, default: .bool(true), help: "run stats"),
        ConfigKey("processors.stats.words_per_minute", .integer(min: 50, max: 1000), default: .integer(230), help: "reading speed"),
        ConfigKey("processors.stats.ratio", .number(min: 0, max: 1), default: .number(0.25), help: "a fraction"),
        ConfigKey("processors.stats.mode", .choice(["fast", "exact"]), default: .string("fast"), help: "how"),
        ConfigKey("processors.stats.tags", .stringList, default: .list(["a"]), help: "labels"),
        ConfigKey("processors.stats.label", .string, default: .string("stats"), help: "a name"),
    ])

    private let loader = ConfigLoader(schema: Self.schema)

    private func load(
        file: String? = nil, environment: [String: String] = [:], overrides: [String] = []
    ) throws(ConfigError) -> Configuration {
        try loader.load(file: file, defaultFile: nil, environment: environment, overrides: overrides)
    }

    private func writeFile(_ text: String, in folder: String, name: String = "seedwatch.json") throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("defaults for every key, with their origin")
    func defaults() throws {
        let configuration = try load()
        for key in Self.schema.keys {
            #expect(configuration.values[key.name] == key.defaultValue, "\(key.name)")
            #expect(configuration.origins[key.name] == "default")
        }
        #expect(configuration.string("watch") == "seeds")
        #expect(configuration.list("ingest.ignore") == DaemonConfigKeys.defaultIgnore)
        #expect(configuration.integer("ingest.max_size") == 32 << 20)
        #expect(configuration.scope("processors.stats.").integer("words_per_minute") == 230)
        #expect(configuration.scope("processors.stats.").number("ratio") == 0.25)
    }

    @Test("a nested JSON file sets keys at any depth; comment keys are skipped")
    func nestedFile() async throws {
        try await withTemporaryDirectory { folder in
            let path = try writeFile("""
                {
                  "// note": "comments are allowed",
                  "watch": "/srv/in",
                  "ingest": {"recursive": true, "max_size": 1024, "ignore": ["*.x", "*.y"], "_comment": "skipped"},
                  "processors": {"stats": {"words_per_minute": 300, "ratio": 1, "mode": "exact"}},
                  "log.level": "debug"
                }
                """, in: folder)
            let configuration = try load(file: path)
            #expect(configuration.string("watch") == "/srv/in")
            #expect(configuration.bool("ingest.recursive"))
            #expect(configuration.integer("ingest.max_size") == 1024)
            #expect(configuration.list("ingest.ignore") == ["*.x", "*.y"])
            #expect(configuration.integer("processors.stats.words_per_minute") == 300)
            #expect(configuration.values["processors.stats.ratio"] == .number(1))
            #expect(configuration.string("processors.stats.mode") == "exact")
            #expect(configuration.string("log.level") == "debug")
            #expect(configuration.origins["watch"] == path)
            #expect(configuration.origins["outbox"] == "default")
        }
    }

    @Test("the default file is read when present and no file is given, skipped when absent")
    func defaultFile() async throws {
        try await withTemporaryDirectory { folder in
            let path = try writeFile(#"{"outbox": "elsewhere"}"#, in: folder)
            let found = try loader.load(file: nil, defaultFile: path, environment: [:], overrides: [])
            #expect(found.string("outbox") == "elsewhere")
            let absent = try loader.load(file: nil, defaultFile: folder + "/missing.json", environment: [:], overrides: [])
            #expect(absent.string("outbox") == "outbox")
        }
    }

    @Test("environment variables override keys; unrelated and reserved variables are left alone")
    func environment() throws {
        let configuration = try load(environment: [
            "SEEDWATCH_PROCESSORS__STATS__WORDS_PER_MINUTE": "250",
            "SEEDWATCH_INGEST__RECURSIVE": "yes",
            "SEEDWATCH_INGEST__IGNORE": "*.a,*.b",
            "SEEDWATCH_CONFIG": "/etc/seedwatch.json",
            "SEEDWATCH_BIN": "/usr/bin/seedwatch",
            "SEEDWATCH_RESOURCES": "/usr/share/seedwatch",
            "PATH": "/usr/bin",
            "HOME": "/root",
        ])
        #expect(configuration.integer("processors.stats.words_per_minute") == 250)
        #expect(configuration.bool("ingest.recursive"))
        #expect(configuration.list("ingest.ignore") == ["*.a", "*.b"])
        #expect(configuration.origins["processors.stats.words_per_minute"]?.contains("SEEDWATCH_PROCESSORS__STATS__WORDS_PER_MINUTE") == true)
    }

    @Test("precedence: default < file < environment < --set")
    func precedence() async throws {
        try await withTemporaryDirectory { folder in
            let key = "processors.stats.words_per_minute"
            let path = try writeFile(#"{"processors": {"stats": {"words_per_minute": 100}}}"#, in: folder)
            let environment = ["SEEDWATCH_PROCESSORS__STATS__WORDS_PER_MINUTE": "200"]

            #expect(try load().integer(key) == 230)
            #expect(try load(file: path).integer(key) == 100)
            #expect(try load(file: path, environment: environment).integer(key) == 200)
            let all = try load(file: path, environment: environment, overrides: ["\(key)=300"])
            #expect(all.integer(key) == 300)
            #expect(all.origins[key] == "--set")
            // Later --set overrides win over earlier ones.
            #expect(try load(overrides: ["\(key)=400", "\(key)=500"]).integer(key) == 500)
        }
    }

    @Test("an unknown key is refused with its name, from every layer")
    func unknownKeys() async throws {
        try await withTemporaryDirectory { folder in
            let path = try writeFile(#"{"ingest": {"recursve": true}}"#, in: folder)
            #expect(throws: ConfigError.unknownKey("ingest.recursve", source: path)) { try load(file: path) }
            #expect(throws: ConfigError.unknownKey("processors.stats.wpm", source: "environment variable SEEDWATCH_PROCESSORS__STATS__WPM")) {
                try load(environment: ["SEEDWATCH_PROCESSORS__STATS__WPM": "3"])
            }
            #expect(throws: ConfigError.unknownKey("processors.nope.sentences", source: "--set")) {
                try load(overrides: ["processors.nope.sentences=3"])
            }
            let error = ConfigError.unknownKey("processors.nope.sentences", source: "--set")
            #expect(error.description.contains("processors.nope.sentences"))
        }
    }

    @Test("bad values from --set are refused with the key named", arguments: [
        ("ingest.recursive=maybe", "ingest.recursive"),
        ("processors.stats.words_per_minute=fast", "processors.stats.words_per_minute"),
        ("processors.stats.words_per_minute=1.5", "processors.stats.words_per_minute"),
        ("processors.stats.words_per_minute=10", "processors.stats.words_per_minute"),  // below the minimum
        ("processors.stats.words_per_minute=5000", "processors.stats.words_per_minute"),  // above the maximum
        ("processors.stats.ratio=1.5", "processors.stats.ratio"),
        ("processors.stats.ratio=nan", "processors.stats.ratio"),
        ("processors.stats.ratio=inf", "processors.stats.ratio"),
        ("ingest.duplicates=keep", "ingest.duplicates"),
        ("log.level=verbose", "log.level"),
        ("ingest.max_size=0", "ingest.max_size"),
    ])
    func badOverrideValues(override: String, key: String) {
        #expect {
            try load(overrides: [override])
        } throws: { error in
            guard case let ConfigError.badValue(named, _, _)? = error as? ConfigError else { return false }
            return named == key && (error as? ConfigError)?.description.contains(key) == true
        }
    }

    @Test("bad values from a file (wrong type, range, choice) are refused with the key named", arguments: [
        (#"{"ingest": {"recursive": "yes"}}"#, "ingest.recursive"),
        (#"{"ingest": {"recursive": 1}}"#, "ingest.recursive"),
        (#"{"watch": 5}"#, "watch"),
        (#"{"watch": null}"#, "watch"),
        (#"{"ingest": {"max_size": 1.5}}"#, "ingest.max_size"),
        (#"{"ingest": {"max_size": -1}}"#, "ingest.max_size"),
        (#"{"ingest": {"ignore": [1, 2]}}"#, "ingest.ignore"),
        (#"{"ingest": {"ignore": "*.a"}}"#, "ingest.ignore"),
        (#"{"ingest": {"duplicates": "keep"}}"#, "ingest.duplicates"),
        (#"{"processors": {"stats": {"ratio": 2}}}"#, "processors.stats.ratio"),
        (#"{"processors": {"stats": {"enabled": {"really": true}}}}"#, "processors.stats.enabled"),
    ])
    func badFileValues(text: String, key: String) async throws {
        try await withTemporaryDirectory { folder in
            let path = try writeFile(text, in: folder)
            #expect {
                try load(file: path)
            } throws: { error in
                guard case let ConfigError.badValue(named, _, _)? = error as? ConfigError else { return false }
                return named == key
            }
        }
    }

    @Test("a bad value from the environment names the key")
    func badEnvironmentValue() {
        #expect {
            try load(environment: ["SEEDWATCH_PIPELINE__TIMEOUT_MS": "soon"])
        } throws: { error in
            guard case let ConfigError.badValue(named, value, _)? = error as? ConfigError else { return false }
            return named == "pipeline.timeout_ms" && value == "soon"
        }
    }

    @Test("typed values parse from text: booleans, numbers with underscores, integral numbers from files")
    func textParsing() throws {
        let configuration = try load(overrides: [
            "ingest.recursive=ON", "ingest.max_size=1_048_576", "processors.stats.ratio= 0.75 ",
            "processors.stats.mode=exact", "processors.stats.label= spaced ", "watch=a=b",
        ])
        #expect(configuration.bool("ingest.recursive"))
        #expect(configuration.integer("ingest.max_size") == 1_048_576)
        #expect(configuration.number("processors.stats.ratio") == 0.75)
        #expect(configuration.string("processors.stats.mode") == "exact")
        #expect(configuration.string("processors.stats.label") == " spaced ")
        #expect(configuration.string("watch") == "a=b")
    }

    @Test("lists are given by comma, items trimmed; an empty value is an empty list")
    func lists() throws {
        #expect(try load(overrides: ["ingest.ignore=*.a, *.b ,c"]).list("ingest.ignore") == ["*.a", "*.b", "c"])
        #expect(try load(overrides: ["ingest.ignore="]).list("ingest.ignore") == [])
        #expect(try load(overrides: ["processors.stats.tags=one"]).list("processors.stats.tags") == ["one"])
    }

    @Test("an override without KEY= is refused", arguments: ["ingest.recursive", "=true", ""])
    func badOverrideSyntax(text: String) {
        #expect(throws: ConfigError.badOverride(text)) { try load(overrides: [text]) }
    }

    @Test("a missing, unparseable or non-object file is refused")
    func badFiles() async throws {
        try await withTemporaryDirectory { folder in
            #expect {
                try load(file: folder + "/absent.json")
            } throws: { error in
                if case .unreadableFile? = error as? ConfigError { return true }
                return false
            }
            for text in ["{ not json", "[1, 2]", "\"text\""] {
                let path = try writeFile(text, in: folder)
                #expect {
                    try load(file: path)
                } throws: { error in
                    if case .invalidFile? = error as? ConfigError { return true }
                    return false
                }
            }
        }
    }

    @Test("renderJSON parses back as JSON with the same values")
    func renderJSONRoundTrip() throws {
        let configuration = try load(overrides: [
            "watch=/tmp/in \"quoted\"\\back\tslash",
            "processors.stats.label=line\nbreak é 🎉 \u{1}",
            "processors.stats.ratio=0.1",
            "ingest.ignore=*.a,\"b\"",
            "ingest.recursive=true",
        ])
        let rendered = configuration.renderJSON()
        let root = try JSONDecoder().decode(JSONValue.self, from: Data(rendered.utf8))
        for (name, value) in configuration.values {
            var node: JSONValue? = root
            for part in name.split(separator: ".") { node = node?[String(part)] }
            let json = try #require(node, "\(name) is missing from the rendered JSON")
            switch value {
            case let .string(text): #expect(json == .string(text), "\(name)")
            case let .bool(flag): #expect(json == .bool(flag), "\(name)")
            case let .integer(number): #expect(json == .integer(number), "\(name)")
            case let .number(number):
                #expect(json == .number(number) || json == .integer(Int(exactly: number) ?? Int.min), "\(name)")
            case let .list(items): #expect(json == .array(items.map(JSONValue.string)), "\(name)")
            }
        }
    }
}
