import Glibc
import Logging
import SeedwatchIngest
import SeedwatchSystemd

/// Makes the directory watcher on the inotify instance kept in systemd's fd store when there is
/// one, so events queued while the daemon was restarting are still read; otherwise on a new
/// instance, which it then hands to the fd store. The catch-up scan runs either way: it is what
/// makes a restart lossless when there is no store (started by hand, an old systemd).
enum WatcherSetup {
    static func make(
        settings: DaemonSettings, mode: IngestMode, stored: [Int32], notifier: SystemdNotifier, logger: Logger
    ) throws -> (watcher: DirectoryWatcher, adopted: Bool) {
        var adopted: Inotify?
        var rejected = 0
        for fd in stored {
            if adopted == nil, Inotify.isInotify(fd), let instance = try? Inotify(adopting: fd) {
                adopted = instance
            } else {
                close(fd)
                rejected += 1
            }
        }
        let watcher = try DirectoryWatcher(
            root: settings.watch, recursive: settings.recursive, ignore: Daemon.ignorePatterns(settings),
            inotify: adopted ?? Inotify(), reportsFiles: mode != .poll
        )
        if adopted != nil {
            logger.info("adopted the stored inotify fd \(watcher.descriptor) from systemd's fd store (\(watcher.pendingBytes) bytes of events queued while no one read them); the catch-up scan still runs")
        }
        if rejected > 0 {
            logger.warning("\(rejected) descriptor(s) named '\(InheritedDescriptors.inotify)' from systemd were not a usable inotify instance: closed and removed from the fd store")
            notifier.notify("FDSTOREREMOVE=1\nFDNAME=\(InheritedDescriptors.inotify)")
        }
        // The store keeps what it was given across restarts: an adopted instance is there already.
        if notifier.isEnabled && (adopted == nil || rejected > 0) {
            if notifier.storeFileDescriptor(watcher.descriptor, name: InheritedDescriptors.inotify) {
                logger.debug("inotify fd handed to systemd's fd store (FDSTORE=1, FDNAME=\(InheritedDescriptors.inotify))")
            } else {
                logger.debug("the service manager did not take the inotify fd into its fd store")
            }
        }
        return (watcher, adopted != nil)
    }
}
