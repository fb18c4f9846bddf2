/// One documented configuration key with its type and default.
public struct ConfigKey: Sendable {
    public enum Kind: Sendable, Equatable {
        case string
        case path
        case bool
        case integer(min: Int, max: Int)
        case number(min: Double, max: Double)
        case choice([String])
        case stringList
    }

    /// Full dotted name, e.g. `processors.summary.sentences`.
    public var name: String
    public var kind: Kind
    public var defaultValue: ConfigValue
    public var help: String
    /// Whether a reload (SIGHUP) applies a new value to the running daemon. Keys that shape what
    /// was set up at start (folders, sockets, state kept across documents) need a restart.
    public var appliesOnReload = false

    public init(_ name: String, _ kind: Kind, default defaultValue: ConfigValue, help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }

    /// This key, marked as applied by a reload.
    public func appliedOnReload(_ applies: Bool = true) -> ConfigKey {
        var key = self
        key.appliesOnReload = applies
        return key
    }

    /// Parses a value given as text (`--set`, environment) for this key.
    public func parse(text: String) throws(ConfigError) -> ConfigValue {
        let trimmed = text.trimmingWhitespace()
        switch kind {
        case .string, .path:
            return .string(text)
        case .bool:
            switch trimmed.lowercased() {
            case "true", "yes", "on", "1": return .bool(true)
            case "false", "no", "off", "0": return .bool(false)
            default: throw .badValue(key: name, value: text, expected: "true or false")
            }
        case .integer:
            guard let value = Self.parseInteger(trimmed) else {
                throw .badValue(key: name, value: text, expected: "a whole number")
            }
            return try validate(.integer(value))
        case .number:
            guard let value = Double(trimmed), value.isFinite else {
                throw .badValue(key: name, value: text, expected: "a number")
            }
            return try validate(.number(value))
        case .choice:
            return try validate(.string(trimmed))
        case .stringList:
            if trimmed.isEmpty { return .list([]) }
            return .list(trimmed.split(separator: ",").map { String($0).trimmingWhitespace() })
        }
    }

    /// Checks a value (from a file or parsed text) against the key's type and range.
    public func validate(_ value: ConfigValue) throws(ConfigError) -> ConfigValue {
        switch (kind, value) {
        case (.string, .string), (.path, .string), (.bool, .bool), (.stringList, .list):
            return value
        case let (.path, .list(items)) where items.isEmpty:
            throw .badValue(key: name, value: "[]", expected: "a path")
        case let (.integer(min, max), .integer(v)):
            guard v >= min, v <= max else { throw .badValue(key: name, value: String(v), expected: "a whole number from \(min) to \(max)") }
            return value
        case let (.integer, .number(v)) where v.rounded() == v && v.magnitude < 1e15:
            return try validate(.integer(Int(v))) as ConfigValue
        case let (.number(min, max), .number(v)):
            guard v >= min, v <= max else { throw .badValue(key: name, value: String(v), expected: "a number from \(min) to \(max)") }
            return value
        case let (.number, .integer(v)):
            return try validate(.number(Double(v)))
        case let (.choice(options), .string(v)):
            guard options.contains(v) else { throw .badValue(key: name, value: v, expected: "one of \(options.joined(separator: ", "))") }
            return value
        default:
            throw .badValue(key: name, value: value.description, expected: kind.expectation)
        }
    }

    static func parseInteger(_ text: String) -> Int? {
        // Units live in key names (`max_size` in bytes, `timeout_ms`), so values are plain numbers;
        // `_` separators (33_554_432) are allowed for readability.
        Int(text.replacing("_", with: ""))
    }
}

extension ConfigKey.Kind {
    var expectation: String {
        switch self {
        case .string: "a string"
        case .path: "a path"
        case .bool: "true or false"
        case let .integer(min, max): "a whole number from \(min) to \(max)"
        case let .number(min, max): "a number from \(min) to \(max)"
        case let .choice(options): "one of \(options.joined(separator: ", "))"
        case .stringList: "a list of strings"
        }
    }
}

/// A configuration value.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case list([String])

    public var description: String {
        switch self {
        case let .string(s): s
        case let .bool(b): String(b)
        case let .integer(i): String(i)
        case let .number(d): String(d)
        case let .list(items): items.joined(separator: ",")
        }
    }

    /// The value as a JSON fragment, for printing the effective configuration.
    public var json: String {
        switch self {
        case let .string(s): SortedJSONEncoder.quote(s)
        case let .bool(b): String(b)
        case let .integer(i): String(i)
        case let .number(d): String(d)
        case let .list(items): "[" + items.map(SortedJSONEncoder.quote).joined(separator: ", ") + "]"
        }
    }
}

/// Why a configuration was refused. Each names the key so a person can fix it.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownKey(String, source: String)
    case badValue(key: String, value: String, expected: String)
    case badOverride(String)
    case unreadableFile(path: String, reason: String)
    case invalidFile(path: String, reason: String)
    /// Two of the folders `watch`, `outbox`, `quarantine`, `state` are one, or one holds the other.
    case overlappingFolders(key: String, path: String, other: String, otherPath: String, relation: String)

    public var description: String {
        switch self {
        case let .unknownKey(key, source): "unknown configuration key '\(key)' (from \(source))"
        case let .badValue(key, value, expected): "bad value '\(value)' for key '\(key)': expected \(expected)"
        case let .badOverride(text): "bad override '\(text)': expected KEY=VALUE"
        case let .unreadableFile(path, reason): "cannot read configuration file \(path): \(reason)"
        case let .invalidFile(path, reason): "configuration file \(path) is not valid: \(reason)"
        case let .overlappingFolders(key, path, other, otherPath, relation):
            "bad value '\(path)' for key '\(key)': it \(relation) '\(other)' (\(otherPath)); the folders watch, outbox, quarantine and state (and ingest.done_folder with ingest.after=move) must be apart"
        }
    }

    /// The key the error is about, when it is about one.
    public var key: String? {
        switch self {
        case let .unknownKey(key, _), let .badValue(key, _, _), let .overlappingFolders(key, _, _, _, _): key
        case .badOverride, .unreadableFile, .invalidFile: nil
        }
    }
}

extension String {
    /// Without leading and trailing white space (spaces, tabs, line breaks).
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
