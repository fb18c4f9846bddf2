import CSystemd
import Glibc

/// `sd_notify` messages to the service manager: READY, STATUS, WATCHDOG, STOPPING, RELOADING.
/// Without `NOTIFY_SOCKET` every call is a no-op, so the daemon runs the same by hand.
public struct SystemdNotifier: Sendable {
    public init() {}

    public var isEnabled: Bool { getenv("NOTIFY_SOCKET") != nil }

    @discardableResult
    public func notify(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }

    public func ready(status: String) { notify("READY=1\nSTATUS=\(status)") }

    /// `RELOADING=1` with the `MONOTONIC_USEC` that systemd 253 and later require to match the
    /// reload to the request; `READY=1` (`ready(status:)`) ends the reload.
    public func reloading(status: String) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        notify("RELOADING=1\nMONOTONIC_USEC=\(microseconds)\nSTATUS=\(status)")
    }

    /// Hands `fd` to the service manager's file-descriptor store (`FDSTORE=1`) under `name`: a
    /// restarted service gets it back through `listenFileDescriptors()`. The unit needs
    /// `FileDescriptorStoreMax=`; without a service manager this does nothing.
    @discardableResult
    public func storeFileDescriptor(_ fd: Int32, name: String) -> Bool {
        var descriptors = [fd]
        return sd_pid_notify_with_fds(0, 0, "FDSTORE=1\nFDNAME=\(name)", &descriptors, 1) > 0
    }
    public func status(_ text: String) { notify("STATUS=\(text)") }
    public func stopping(status: String) { notify("STOPPING=1\nSTATUS=\(status)") }
    public func watchdog() { notify("WATCHDOG=1") }

    /// The watchdog interval systemd asked for (`WATCHDOG_USEC`), when it is meant for this process.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    /// File descriptors passed by systemd (socket activation, the fd store), with their names.
    /// Read once at start (`InheritedDescriptors` in the daemon shares them out): it marks the
    /// descriptors close-on-exec, so external processors never inherit them.
    public func listenFileDescriptors() -> [(fd: Int32, name: String)] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(0, &names)
        guard count > 0 else { return [] }
        var result: [(Int32, String)] = []
        for index in 0..<Int(count) {
            let name = names?[index].map { String(cString: $0) } ?? "unknown"
            result.append((SD_LISTEN_FDS_START + Int32(index), name))
            free(names?[index])
        }
        free(names)
        return result
    }
}
