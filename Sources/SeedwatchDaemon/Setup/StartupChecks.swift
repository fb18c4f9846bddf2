import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchState

/// Checks and adjustments made once at start, before READY=1.
public enum StartupChecks {
    /// Raises the soft open-file limit to the hard one: each control connection, plugin pipe and
    /// document being read holds a descriptor, and 1024 (the usual soft default) is soon reached.
    /// Returns the limits before and after, nil when nothing changed.
    public static func raiseOpenFileLimit() -> (from: UInt64, to: UInt64)? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return nil }
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 else { return nil }
        return (UInt64(limit.rlim_cur), UInt64(raised.rlim_cur))
    }

    /// Fails, naming the path, when the state folder or its database cannot be written: SQLite
    /// would otherwise open a read-only database without a word and fail on every document.
    /// A folder that does not exist yet is left to the ledger, which creates it.
    public static func checkStateWritable(_ state: String) throws(StartupError) {
        var info = stat()
        guard stat(state, &info) == 0 else {
            if errno == ENOENT { return }
            throw .stateNotWritable(path: state, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .stateNotWritable(path: state, reason: "not a folder") }
        let probe = state + "/.seedwatch-write-check-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .stateNotWritable(path: state, reason: String(cString: strerror(errno))) }
        close(fd)
        unlink(probe)
        for name in StateDatabase.fileNames {
            let path = state + "/" + name
            let file = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            if file >= 0 {
                close(file)
            } else if errno != ENOENT {
                throw .stateNotWritable(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// Why the daemon did not start.
public enum StartupError: Error, Sendable, CustomStringConvertible {
    case stateNotWritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .stateNotWritable(path, reason): "state \(path) is not writable: \(reason)"
        }
    }
}
