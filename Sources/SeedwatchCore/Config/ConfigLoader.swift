import FoundationEssentials

/// Builds the effective configuration from its layers.
public struct ConfigLoader: Sendable {
    /// Environment variables with this prefix override keys: `SEEDWATCH_PROCESSORS__SUMMARY__SENTENCES=3`
    /// sets `processors.summary.sentences` (`__` separates levels; the rest is lower-cased).
    public static let environmentPrefix = "SEEDWATCH_"
    /// Variables with the prefix that are not configuration keys.
    static let reservedEnvironment: Set<String> = ["SEEDWATCH_CONFIG", "SEEDWATCH_BIN", "SEEDWATCH_RESOURCES", "SEEDWATCH_EXECUTOR"]

    public var schema: ConfigSchema

    public init(schema: ConfigSchema) {
        self.schema = schema
    }

    /// - Parameters:
    ///   - file: the configuration file; when nil, `defaultFile` is read if it exists.
    ///   - defaultFile: the conventional location (`Config/seedwatch.json`).
    public func load(
        file: String?, defaultFile: String?, environment: [String: String], overrides: [String]
    ) throws(ConfigError) -> Configuration {
        var configuration = Configuration(schema: schema)
        if let path = file ?? defaultFile.flatMap({ FileManager.default.fileExists(atPath: $0) ? $0 : nil }) {
            try apply(file: path, to: &configuration)
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(Self.environmentPrefix) {
            guard !Self.reservedEnvironment.contains(name) else { continue }
            let key = name.dropFirst(Self.environmentPrefix.count).lowercased().replacing("__", with: ".")
            try configuration.set(key, text: value, origin: "environment variable \(name)")
        }
        for override in overrides {
            guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
                throw .badOverride(override)
            }
            let key = String(override[..<equals]).trimmingWhitespace()
            try configuration.set(key, text: String(override[override.index(after: equals)...]), origin: "--set")
        }
        return configuration
    }

    func apply(file path: String, to configuration: inout Configuration) throws(ConfigError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path: path, reason: SystemError.describe(error))
        }
        try apply(json: data, source: path, to: &configuration)
    }

    /// Applies the keys of a configuration file's content; `source` names it in errors.
    public func apply(json data: Data, source path: String, to configuration: inout Configuration) throws(ConfigError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .invalidFile(path: path, reason: "not valid JSON (\(error))")
        }
        guard case let .object(members) = root else { throw .invalidFile(path: path, reason: "the top level must be an object") }
        try flatten(members, prefix: "", path: path, into: &configuration)
    }

    private func flatten(_ object: [String: JSONValue], prefix: String, path: String, into configuration: inout Configuration) throws(ConfigError) {
        for (name, raw) in object.sorted(by: { $0.key < $1.key }) {
            let key = prefix + name
            if name.hasPrefix("//") || name.hasPrefix("_comment") { continue }  // comments in JSON files
            if case let .object(nested) = raw, schema.key(named: key) == nil {
                try flatten(nested, prefix: key + ".", path: path, into: &configuration)
                continue
            }
            guard let value = Self.value(from: raw) else {
                throw .badValue(key: key, value: String(describing: raw), expected: schema.key(named: key)?.kind.expectation ?? "a value")
            }
            try configuration.set(key, value: value, origin: path)
        }
    }

    static func value(from raw: JSONValue) -> ConfigValue? {
        switch raw {
        case let .bool(value): return .bool(value)
        case let .integer(value): return .integer(value)
        case let .number(value): return .number(value)
        case let .string(value): return .string(value)
        case let .array(items):
            var strings: [String] = []
            for item in items {
                guard case let .string(string) = item else { return nil }
                strings.append(string)
            }
            return .list(strings)
        default: return nil
        }
    }
}
