import Foundation
import SeedwatchCore
import Testing

@Suite("Database settings")
struct DatabaseSettingsTests {
    static let loader = ConfigLoader(schema: ConfigSchema(DaemonConfigKeys.all + DatabaseConfigKeys.all))

    static func settings(_ overrides: [String]) throws -> DatabaseSettings {
        try DatabaseSettings(try loader.load(file: nil, defaultFile: nil, environment: [:], overrides: overrides), hostName: "host-a")
    }

    @Test("defaults: SQLite, the host name, a 5 s lease")
    func defaults() throws {
        let settings = try Self.settings([])
        #expect(settings.postgres == nil)
        #expect(settings.nodeName == "host-a")
        #expect(settings.lease == .milliseconds(5000))
        #expect(settings.passwordPath(environment: [:]) == nil)
    }

    @Test("postgres:// and postgresql:// URLs, with and without a port")
    func urls() throws {
        #expect(try Self.settings(["database.url=postgres://sw@db.example:6543/state"]).postgres
            == PostgresLocation(user: "sw", host: "db.example", port: 6543, database: "state"))
        #expect(try Self.settings(["database.url=postgresql://sw@[::1]/state"]).postgres
            == PostgresLocation(user: "sw", host: "::1", port: 5432, database: "state"))
        #expect(try Self.settings(["database.url=postgres://s%40w@h:1/d%2Fx"]).postgres?.user == "s@w")
        #expect(try Self.settings(["node.name=b"]).nodeName == "b")
    }

    @Test("a password in the URL is refused without being repeated; malformed URLs are refused", arguments: [
        "postgres://sw:hunter2@h:5432/db", "mysql://sw@h/db", "postgres://h:5432/db", "postgres://sw@h:99999/db", "postgres://sw@h:5432", "postgres://sw@:5432/db",
    ])
    func refused(_ url: String) throws {
        do {
            _ = try Self.settings(["database.url=\(url)"])
            Issue.record("accepted \(url)")
        } catch {
            #expect((error as? ConfigError)?.key == "database.url", "\(error)")
            #expect(!"\(error)".contains("hunter2"), "\(error)")
        }
    }

    @Test("the password: the named file, else the systemd credential, without its final line break")
    func password() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seedwatch-db-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("from-credential\n".utf8).write(to: URL(fileURLWithPath: folder + "/database-password"))
        try Data("from-file".utf8).write(to: URL(fileURLWithPath: folder + "/named"))
        let credential = try Self.settings([])
        #expect(try credential.password(environment: ["CREDENTIALS_DIRECTORY": folder]) == "from-credential")
        #expect(try credential.password(environment: ["CREDENTIALS_DIRECTORY": folder + "/none"]) == nil)
        let named = try Self.settings(["database.password_file=\(folder)/named"])
        #expect(try named.password(environment: ["CREDENTIALS_DIRECTORY": folder]) == "from-file")
        let missing = try Self.settings(["database.password_file=\(folder)/missing"])
        #expect(throws: ConfigError.self) { try missing.password(environment: [:]) }
    }
}
