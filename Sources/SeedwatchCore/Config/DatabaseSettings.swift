import FoundationEssentials
import Glibc

/// Where the daemon's state lives, read from `database.*`, `node.name` and `cluster.lease_ms`.
public struct DatabaseSettings: Sendable, Equatable {
    /// Nil: the embedded SQLite database in the state folder.
    public var postgres: PostgresLocation?
    /// `database.password_file` as given (empty: none named).
    public var passwordFile: String
    public var nodeName: String
    public var lease: Duration

    /// The systemd credential read when no password file is named (`LoadCredential=database-password:…`).
    public static let credentialName = "database-password"

    public init(_ configuration: Configuration, hostName: String = DatabaseSettings.hostName()) throws(ConfigError) {
        let url = configuration.string("database.url").trimmingWhitespace()
        postgres = url.isEmpty ? nil : try PostgresLocation(url: url)
        passwordFile = configuration.string("database.password_file")
        let name = configuration.string("node.name").trimmingWhitespace()
        nodeName = name.isEmpty ? hostName : name
        lease = .milliseconds(configuration.integer("cluster.lease_ms"))
    }

    /// The file the password is read from: `database.password_file`, else the systemd credential
    /// when `$CREDENTIALS_DIRECTORY` has it; nil: connect without a password (trust, peer).
    public func passwordPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if !passwordFile.isEmpty { return passwordFile }
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return nil }
        let path = directory + "/" + Self.credentialName
        return access(path, F_OK) == 0 ? path : nil
    }

    /// The password, from `passwordPath`; a final line break is not part of it.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> String? {
        guard let path = passwordPath(environment: environment) else { return nil }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "cannot read the database password file")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A PostgreSQL server and database from `postgres://USER@HOST:PORT/DB`. A password in the URL
/// is refused: it would show in `check-config`'s output, in `ps` and in the journal.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String

    public init(user: String, host: String, port: Int, database: String) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
    }

    public init(url: String) throws(ConfigError) {
        func bad(_ expected: String) -> ConfigError { .badValue(key: "database.url", value: url, expected: expected) }
        let shape = "postgres://USER@HOST:PORT/DB (or postgresql://)"
        var rest: Substring
        if url.hasPrefix("postgres://") {
            rest = url.dropFirst("postgres://".count)
        } else if url.hasPrefix("postgresql://") {
            rest = url.dropFirst("postgresql://".count)
        } else {
            throw bad(shape)
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        guard let at = rest.lastIndex(of: "@") else { throw bad(shape + ": the user is missing") }
        let userInfo = rest[..<at]
        if let colon = userInfo.firstIndex(of: ":") {
            // Named without the password, which must not reach the journal or a terminal.
            let redacted = url[..<colon] + ":(password)" + url[at...]
            throw .badValue(key: "database.url", value: String(redacted),
                            expected: "a URL without a password (put it in database.password_file or the database-password credential)")
        }
        guard !userInfo.isEmpty else { throw bad(shape + ": the user is missing") }
        let server = rest[rest.index(after: at)...]
        guard let slash = server.firstIndex(of: "/") else { throw bad(shape + ": the database is missing") }
        let database = server[server.index(after: slash)...]
        guard !database.isEmpty, !database.contains("/") else { throw bad(shape + ": the database is missing") }
        let hostPort = server[..<slash]
        var host = hostPort
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = hostPort[..<colon]
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65_535).contains(number) else {
                throw bad(shape + ": the port must be a number from 1 to 65535")
            }
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { throw bad(shape + ": the host is missing") }
        self.init(user: Self.percentDecoded(userInfo), host: String(host), port: port, database: Self.percentDecoded(database))
    }

    /// The URL again (no password ever), for messages.
    public var description: String { "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
