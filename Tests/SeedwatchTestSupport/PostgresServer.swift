import Foundation
import Glibc

/// A throwaway PostgreSQL server for tests (../shared/docs/postgres-testing.md): `initdb` in a
/// temporary folder as the `postgres` user (initdb refuses root), on 127.0.0.1 at a free port,
/// trust authentication for the user `seedwatch`. One server per test process, started at first
/// use; each test takes a database of its own (`makeDatabase()`).
///
/// Stopped on every exit path: a watcher shell started with the server blocks reading a pipe
/// whose only writer is this process; when the process ends (normally, by a crash or by kill -9)
/// the pipe closes, the read returns, and the watcher stops the server and removes its folder.
public final class PostgresServer: Sendable {
    public let port: Int
    public let folder: String
    public static let user = "seedwatch"

    /// The folder of `initdb` and `pg_ctl`: PostgreSQL 15 as Debian installs it, else the newest there.
    public static let binaries: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        let preferred = versions.contains(15) ? 15 : versions.last
        guard let preferred else { return nil }
        let bin = "\(root)/\(preferred)/bin"
        return FileManager.default.isExecutableFile(atPath: bin + "/initdb") && FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl") ? bin : nil
    }()

    /// Whether the server binaries are installed (`apt-get install postgresql`); tests skip
    /// visibly without them, and CI installs them.
    public static var available: Bool { binaries != nil && (getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")) }

    /// The process's server, started at first use. Awaited, not blocked on: the start (initdb,
    /// pg_ctl) takes seconds, and the tests that wait for it must not hold Swift's pool meanwhile.
    public static func shared() async throws -> PostgresServer {
        try await starting.value
    }

    private static let starting = Task { try await OffPool.run { try PostgresServer() } }
    private static let counter = DatabaseCounter()
    /// Kept open for the life of the process: the watcher's stdin.
    private let watcherPipe: Pipe

    private init() throws {
        guard let bin = Self.binaries else { throw PostgresServerError.missing }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("seedwatch-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { _ = try Self.run(["/bin/chown", "postgres", folder]) }
        func asOwner(_ arguments: [String]) -> [String] { asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments }
        try Self.run(asOwner([bin + "/initdb", "-D", folder + "/data", "-A", "trust", "-U", Self.user, "-E", "UTF8", "--locale=C", "--no-sync"]))

        let stop = asOwner([bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "stop"]).map(Self.shellQuoted).joined(separator: " ")
        let pipe = Pipe()
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: "/bin/sh")
        watcher.arguments = ["-c", "read _; \(stop) >/dev/null 2>&1; rm -rf \(Self.shellQuoted(folder))"]
        watcher.standardInput = pipe
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try watcher.run()
        // Close-on-exec: the server started below must not inherit the writer and keep its own watcher waiting.
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        watcherPipe = pipe

        // A free port can be taken between the probe and the start by another test run: try a few.
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try Self.freePort()
            do {
                try Self.run(capturing: false, asOwner([
                    bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/log", "-w", "-t", "60",
                    "-o", "-k \(folder) -c listen_addresses=127.0.0.1 -p \(port) -c fsync=off -c max_connections=200", "start",
                ]))
                self.port = port
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? PostgresServerError.missing
    }

    /// A new, empty database on the server; its URL for `database.url`.
    public func makeDatabase() async throws -> (name: String, url: String) {
        let name = "test_\(getpid())_\(Self.counter.next())"
        try await runSQL("CREATE DATABASE \(name)")
        return (name, "postgres://\(Self.user)@127.0.0.1:\(port)/\(name)")
    }

    /// Runs SQL with psql against `database`, returning what it prints (unaligned, tuples only).
    @discardableResult
    public func runSQL(_ sql: String, database: String = "postgres") async throws -> String {
        guard let bin = Self.binaries else { throw PostgresServerError.missing }
        let arguments = [bin + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user,
                         "-d", database, "-c", sql]
        return try await OffPool.run { try Self.run(arguments) }
    }

    /// The server's log so far, for a failing test's message.
    public var log: String { (try? String(contentsOfFile: folder + "/log", encoding: .utf8)) ?? "" }

    /// `capturing: false` for `pg_ctl start`: the server it leaves running would hold a pipe
    /// open, and reading the output to its end would never return.
    @discardableResult
    static func run(capturing: Bool = true, _ arguments: [String]) throws -> String {
        if !capturing { return try spawnAndWait(arguments) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        process.standardOutput = capturing ? output : FileHandle.nullDevice
        process.standardError = capturing ? output : FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = capturing ? String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) : ""
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PostgresServerError.failed(arguments.joined(separator: " "), text) }
        return text
    }

    /// posix_spawn and waitpid, output to /dev/null: `Process.waitUntilExit` was seen never to
    /// return for `pg_ctl start` (its child stayed a zombie while the watcher ran).
    static func spawnAndWait(_ arguments: [String]) throws -> String {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        guard posix_spawn(&child, arguments[0], &actions, nil, &argv, environ) == 0 else {
            throw PostgresServerError.failed(arguments.joined(separator: " "), "cannot spawn")
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        guard status == 0 else { throw PostgresServerError.failed(arguments.joined(separator: " "), "exit status \(status)") }
        return ""
    }

    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

public enum PostgresServerError: Error, CustomStringConvertible {
    case missing
    case failed(String, String)

    public var description: String {
        switch self {
        case .missing: "the PostgreSQL server binaries are not installed (apt-get install postgresql)"
        case let .failed(command, output): "\(command) failed: \(output)"
        }
    }
}

/// The database counter, under a lock (NSLock: the test support target has no module of ours to
/// take `Locked` from).
final class DatabaseCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
