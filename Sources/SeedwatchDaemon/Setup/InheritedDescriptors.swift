/// The descriptors systemd handed over at start — listening sockets of the `.socket` unit, and
/// what the daemon put in the fd store before a restart — read once with
/// `sd_listen_fds_with_names` and shared out by name.
struct InheritedDescriptors: Sendable {
    struct Descriptor: Sendable {
        var fd: Int32
        var name: String
    }

    /// The control API's sockets (`FileDescriptorName=control` in seedwatch.socket).
    static let control = "control"
    /// The inotify instance the daemon stored with `FDSTORE=1`, `FDNAME=inotify`.
    static let inotify = "inotify"

    let all: [Descriptor]

    init(_ descriptors: [(fd: Int32, name: String)]) {
        all = descriptors.map { Descriptor(fd: $0.fd, name: $0.name) }
    }

    func named(_ name: String) -> [Int32] {
        all.filter { $0.name == name }.map(\.fd)
    }
}
