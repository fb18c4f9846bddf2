/// Keys for entries whose names are chosen by the user, e.g. `processors.external.<name>.command`.
///
/// A family lets the flat schema accept any instance name under its prefix while still refusing
/// a misspelt field: `processors.external.wc.comand` is an unknown key like any other.
public struct ConfigFamily: Sendable {
    /// The prefix before the instance name, with its trailing dot: `processors.external.`.
    public var prefix: String
    /// Fields relative to an instance (`command`, not `processors.external.wc.command`).
    public var fields: [ConfigKey]
    /// Instance names refused (names of built-in processors), with the reason shown.
    public var reservedNames: Set<String>
    public var reservedReason: String

    public init(prefix: String, fields: [ConfigKey], reservedNames: Set<String> = [], reservedReason: String = "a name not already in use") {
        self.prefix = prefix
        self.fields = fields
        self.reservedNames = reservedNames
        self.reservedReason = reservedReason
    }

    /// The instance and field of a full key name, when it lies under this family.
    public func split(_ name: String) -> (instance: String, field: ConfigKey)? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let dot = rest.firstIndex(of: ".") else { return nil }
        let instance = String(rest[..<dot])
        let fieldName = String(rest[rest.index(after: dot)...])
        guard Self.isValidName(instance), var field = fields.first(where: { $0.name == fieldName }) else { return nil }
        field.name = name
        return (instance, field)
    }

    /// Every field of one instance, with full names and defaults.
    public func keys(for instance: String) -> [ConfigKey] {
        fields.map { field in
            var key = field
            key.name = prefix + instance + "." + field.name
            return key
        }
    }

    /// Lower-case letters, digits, `_` and `-`, starting with a letter: safe as a result key,
    /// a journal value and an environment-variable segment.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}
