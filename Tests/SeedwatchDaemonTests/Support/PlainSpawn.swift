import CSpawn
import Foundation
import Glibc

/// Starts a program with `posix_spawn` instead of Foundation's `Process`, for programs that close
/// the descriptors they inherit (`systemd-socket-activate` does): Foundation notices a child's exit
/// by the child's end of a socket closing, so such a child makes Foundation's one monitoring
/// thread block in `waitpid` until it really exits, and every other test's wait stalls meanwhile.
/// The child inherits nothing but /dev/null on its standard streams; it is reaped on a thread of
/// its own.
enum PlainSpawn {
    static func start(_ arguments: [String], environment: [String: String], directory: String) throws -> pid_t {
        let pid = try spawn(arguments, environment: environment, directory: directory)
        Thread { [pid] in
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        }.start()
        return pid
    }

    /// Runs a short command (`bindfs`, `fusermount`) to its end; its exit status, or -1 when it
    /// did not exit normally.
    static func run(_ arguments: [String]) throws -> Int32 {
        let pid = try spawn(arguments, environment: ProcessInfo.processInfo.environment, directory: "/")
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : -1
    }

    private static func spawn(_ arguments: [String], environment: [String: String], directory: String) throws -> pid_t {
        guard let program = arguments.first else { throw POSIXError(.EINVAL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        cspawn_addchdir(&actions, directory)
        cspawn_addclosefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A test thread may have signals blocked; the child must start with none blocked.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
    }
}
