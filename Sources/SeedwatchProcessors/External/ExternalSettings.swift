import SeedwatchCore

/// One external processor's configuration, from `processors.external.<name>.…`.
public struct ExternalSettings: Sendable {
    public enum Mode: String, Sendable { case perDocument = "per-document", persistent }

    public var name: String
    public var command: [String]
    public var mode: Mode
    public var timeoutMilliseconds: Int
    public var maxOutputBytes: Int
    public var environment: [String]
    public var concurrency: Int
    public var enabled: Bool
    public var includeResults: [String]
    public var restartBackoffMilliseconds: Int
    public var maxFailures: Int
    public var failureWindowMilliseconds: Int

    public init(
        name: String, command: [String], mode: Mode = .perDocument, timeoutMilliseconds: Int = 0,
        maxOutputBytes: Int = 1 << 20, environment: [String] = [], concurrency: Int = 4, enabled: Bool = true,
        includeResults: [String] = [], restartBackoffMilliseconds: Int = 100, maxFailures: Int = 5,
        failureWindowMilliseconds: Int = 60_000
    ) {
        self.name = name
        self.command = command
        self.mode = mode
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxOutputBytes = maxOutputBytes
        self.environment = environment
        self.concurrency = concurrency
        self.enabled = enabled
        self.includeResults = includeResults
        self.restartBackoffMilliseconds = restartBackoffMilliseconds
        self.maxFailures = maxFailures
        self.failureWindowMilliseconds = failureWindowMilliseconds
    }

    /// The scope of every external processor's keys.
    public static let prefix = "processors.external."

    /// The fields of `processors.external.<name>.`; `reserved` are the built-in processors' names.
    public static func family(reserved: [String]) -> ConfigFamily {
        ConfigFamily(prefix: prefix, fields: [
            ConfigKey("command", .stringList, default: .list([]), help: "program and arguments (required)"),
            ConfigKey("mode", .choice(["per-document", "persistent"]), default: .string("per-document"),
                      help: "per-document: one process per document; persistent: one long-lived process"),
            ConfigKey("timeout_ms", .integer(min: 0, max: 86_400_000), default: .integer(0),
                      help: "time limit per document; 0 uses pipeline.timeout_ms"),
            ConfigKey("max_output_bytes", .integer(min: 64, max: 1 << 30), default: .integer(1 << 20),
                      help: "largest response line accepted"),
            ConfigKey("environment", .stringList, default: .list([]), help: "KEY=VALUE entries added to the environment"),
            ConfigKey("concurrency", .integer(min: 1, max: 256), default: .integer(4),
                      help: "processes (per-document) or requests in flight (persistent) at once"),
            ConfigKey("enabled", .bool, default: .bool(true), help: "run this processor"),
            ConfigKey("include_results", .stringList, default: .list([]), help: "upstream processors whose results are sent"),
            ConfigKey("restart_backoff_ms", .integer(min: 0, max: 3_600_000), default: .integer(100),
                      help: "persistent: first delay before a restart, doubled per failure"),
            ConfigKey("max_failures", .integer(min: 1, max: 1000), default: .integer(5),
                      help: "persistent: failures within failure_window_ms that disable the processor"),
            ConfigKey("failure_window_ms", .integer(min: 1, max: 86_400_000), default: .integer(60_000),
                      help: "persistent: window in which failures are counted"),
        ], reservedNames: Set(reserved), reservedReason: "a name not used by a built-in processor")
    }

    /// Reads one external processor's settings; refuses an empty command or a bad environment entry.
    public static func read(name: String, from configuration: Configuration) throws(ConfigError) -> ExternalSettings {
        let scope = configuration.scope(prefix + name + ".")
        let command = scope.list("command")
        guard let program = command.first, !program.isEmpty else {
            throw .badValue(key: scope.prefix + "command", value: "[]", expected: "a program and its arguments")
        }
        let environment = scope.list("environment")
        for entry in environment where !(entry.firstIndex(of: "=").map { $0 != entry.startIndex } ?? false) {
            throw .badValue(key: scope.prefix + "environment", value: entry, expected: "KEY=VALUE entries")
        }
        return ExternalSettings(
            name: name, command: command, mode: Mode(rawValue: scope.string("mode")) ?? .perDocument,
            timeoutMilliseconds: scope.integer("timeout_ms"), maxOutputBytes: scope.integer("max_output_bytes"),
            environment: environment, concurrency: scope.integer("concurrency"), enabled: scope.bool("enabled"),
            includeResults: scope.list("include_results"), restartBackoffMilliseconds: scope.integer("restart_backoff_ms"),
            maxFailures: scope.integer("max_failures"), failureWindowMilliseconds: scope.integer("failure_window_ms")
        )
    }
}
