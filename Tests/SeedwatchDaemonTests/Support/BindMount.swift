import Foundation
import Glibc

/// A real FUSE mount made with bindfs: `mountPoint` shows `backing`, and a file written to
/// `backing` raises no inotify event on `mountPoint`, as a file written by another NFS client.
/// Needs root, /dev/fuse and bindfs (`make deps` installs bindfs and fuse3).
final class BindMount: Sendable {
    let backing: String
    let mountPoint: String

    static let bindfs = "/usr/bin/bindfs"
    static let fusermount = "/usr/bin/fusermount3"

    static var available: Bool {
        getuid() == 0 && access("/dev/fuse", R_OK | W_OK) == 0
            && FileManager.default.isExecutableFile(atPath: bindfs) && FileManager.default.isExecutableFile(atPath: fusermount)
    }

    init(backing: String, at mountPoint: String) throws {
        self.backing = backing
        self.mountPoint = mountPoint
        for folder in [backing, mountPoint] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // bindfs returns once the mount is in place (its daemon goes on serving it).
        let status = try PlainSpawn.run([Self.bindfs, backing, mountPoint])
        guard status == 0 else { throw POSIXError(.EIO) }
    }

    /// Unmounts; lazily should the mount be busy, so no later test finds a dead mount point.
    func unmount() {
        if (try? PlainSpawn.run([Self.fusermount, "-u", mountPoint])) != 0 {
            _ = try? PlainSpawn.run([Self.fusermount, "-u", "-z", mountPoint])
        }
    }

}
