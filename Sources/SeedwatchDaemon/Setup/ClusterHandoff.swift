import Glibc
import SeedwatchCore

/// `seedwatch` with `database.url` set becomes `seedwatch-cluster`: the same program with a
/// PostgreSQL client, installed beside it. `execv` keeps the process id, so systemd's
/// `Type=notify`, the socket-activated descriptors and the journal's `_PID` are unchanged.
public enum ClusterHandoff {
    public static let clusterBinaryName = "seedwatch-cluster"

    /// Replaces this process with `seedwatch-cluster` and the same arguments when the
    /// configuration names a database and this binary has no back end for it; returns otherwise.
    /// Throws when the cluster binary cannot be run (missing, not executable). Database settings
    /// that do not validate stay here, for the command to report as a configuration error.
    public static func handOffIfNeeded(_ configuration: Configuration) throws {
        guard DatabaseBackends.current == nil, (try? DatabaseSettings(configuration))?.postgres != nil else { return }
        try handOff(arguments: Array(CommandLine.arguments.dropFirst()))
    }

    /// Replaces this process with `seedwatch-cluster arguments…`; returns only by throwing.
    public static func handOff(arguments: [String]) throws(DatabaseBackendError) -> Never {
        let path = clusterBinaryPath()
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        let code = errno
        for pointer in argv { free(pointer) }
        throw .handoff(path: path, errno: code)
    }

    /// `seedwatch-cluster` in the folder of this executable (`/proc/self/exe`).
    public static func clusterBinaryPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "/usr/bin/" + clusterBinaryName }
        let own = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = own.lastIndex(of: "/") else { return clusterBinaryName }
        return String(own[...slash]) + clusterBinaryName
    }
}
