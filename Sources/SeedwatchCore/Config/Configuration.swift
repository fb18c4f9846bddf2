import FoundationEssentials

/// The effective configuration: built-in defaults, then the file, then the environment, then
/// `--set` overrides, each validated against the schema before anything starts.
public struct Configuration: Sendable {
    public private(set) var values: [String: ConfigValue]
    /// Where each value came from (`default`, the file path, `environment`, `--set`).
    public private(set) var origins: [String: String]
    public let schema: ConfigSchema

    public init(schema: ConfigSchema) {
        self.schema = schema
        var values: [String: ConfigValue] = [:]
        var origins: [String: String] = [:]
        for key in schema.keys {
            values[key.name] = key.defaultValue
            origins[key.name] = "default"
        }
        self.values = values
        self.origins = origins
    }

    /// Applies a value parsed from text (`--set KEY=VALUE`, an environment variable).
    public mutating func set(_ name: String, text: String, origin: String) throws(ConfigError) {
        guard let key = schema.key(named: name) else { throw .unknownKey(name, source: origin) }
        try addFamilyDefaults(for: name)
        values[name] = try key.parse(text: text)
        origins[name] = origin
    }

    /// Applies a typed value (from a configuration file).
    public mutating func set(_ name: String, value: ConfigValue, origin: String) throws(ConfigError) {
        guard let key = schema.key(named: name) else { throw .unknownKey(name, source: origin) }
        try addFamilyDefaults(for: name)
        values[name] = try key.validate(value)
        origins[name] = origin
    }

    /// The first time a key of a family instance is set, the instance's other fields get their
    /// defaults, so they read and print like any other key; a reserved instance name is refused.
    private mutating func addFamilyDefaults(for name: String) throws(ConfigError) {
        guard values[name] == nil, let family = schema.families.first(where: { $0.split(name) != nil }),
              let (instance, _) = family.split(name) else { return }
        guard !family.reservedNames.contains(instance) else {
            throw .badValue(key: family.prefix + instance, value: instance, expected: family.reservedReason)
        }
        for key in family.keys(for: instance) where values[key.name] == nil {
            values[key.name] = key.defaultValue
            origins[key.name] = "default"
        }
    }

    /// Instance names of a family present in this configuration, sorted.
    public func instances(of prefix: String) -> [String] {
        guard let family = schema.families.first(where: { $0.prefix == prefix }) else { return [] }
        return Set(values.keys.compactMap { family.split($0)?.instance }).sorted()
    }

    public func string(_ name: String) -> String {
        if case let .string(value)? = values[name] { return value }
        return ""
    }

    public func bool(_ name: String) -> Bool {
        if case let .bool(value)? = values[name] { return value }
        return false
    }

    public func integer(_ name: String) -> Int {
        switch values[name] {
        case let .integer(value)?: value
        case let .number(value)?: Int(value)
        default: 0
        }
    }

    public func number(_ name: String) -> Double {
        switch values[name] {
        case let .number(value)?: value
        case let .integer(value)?: Double(value)
        default: 0
        }
    }

    public func list(_ name: String) -> [String] {
        if case let .list(value)? = values[name] { return value }
        return []
    }

    /// The keys of one processor, read without the `processors.<name>.` prefix.
    public func scope(_ prefix: String) -> ScopedConfiguration {
        ScopedConfiguration(configuration: self, prefix: prefix)
    }

    /// The effective configuration as nested JSON, keys sorted.
    public func renderJSON() -> String {
        var tree = JSONTree()
        for name in values.keys.sorted() {
            if let value = values[name] { tree.insert(path: name.split(separator: ".").map(String.init), value: value.json) }
        }
        return tree.render(indent: 0)
    }
}

/// A configuration seen through a key prefix, e.g. `processors.summary.`.
public struct ScopedConfiguration: Sendable {
    public let configuration: Configuration
    public let prefix: String

    public func string(_ key: String) -> String { configuration.string(prefix + key) }
    public func bool(_ key: String) -> Bool { configuration.bool(prefix + key) }
    public func integer(_ key: String) -> Int { configuration.integer(prefix + key) }
    public func number(_ key: String) -> Double { configuration.number(prefix + key) }
    public func list(_ key: String) -> [String] { configuration.list(prefix + key) }
}

/// The set of known keys.
public struct ConfigSchema: Sendable {
    public private(set) var keys: [ConfigKey]
    /// Keys under user-chosen names (`processors.external.<name>.…`).
    public private(set) var families: [ConfigFamily] = []
    private var index: [String: Int]

    public init(_ keys: [ConfigKey]) {
        self.keys = []
        self.index = [:]
        for key in keys { add(key) }
    }

    public mutating func add(_ key: ConfigKey) {
        if let existing = index[key.name] {
            keys[existing] = key
        } else {
            index[key.name] = keys.count
            keys.append(key)
        }
    }

    public mutating func add(_ family: ConfigFamily) {
        families.append(family)
    }

    public func key(named name: String) -> ConfigKey? {
        if let position = index[name] { return keys[position] }
        return families.lazy.compactMap { $0.split(name)?.field }.first
    }
}

private struct JSONTree {
    var leaf: String?
    var children: [String: JSONTree] = [:]

    mutating func insert(path: [String], value: String) {
        guard let first = path.first else {
            leaf = value
            return
        }
        children[first, default: JSONTree()].insert(path: Array(path.dropFirst()), value: value)
    }

    func render(indent: Int) -> String {
        if let leaf, children.isEmpty { return leaf }
        let pad = String(repeating: "  ", count: indent + 1)
        let lines = children.keys.sorted().map { key in
            "\(pad)\(SortedJSONEncoder.quote(key)): \(children[key]?.render(indent: indent + 1) ?? "null")"
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: "  ", count: indent) + "}"
    }
}
