import CStatfs
import Glibc
import SeedwatchCore

/// The kind of file system under a folder, from `statfs(2)`'s `f_type`, and whether inotify can
/// see every change made to it.
///
/// inotify reports only what passes through this machine's kernel: on a network or FUSE file
/// system, a file written by another client (or behind the FUSE daemon) raises no event.
public struct FileSystemKind: Sendable, Equatable, CustomStringConvertible {
    public var magic: UInt64
    /// A short name (`ext4`, `nfs`, `fuse`), or the magic number in hex for one not in the table.
    public var name: String
    /// Changes may come from elsewhere than this kernel: the folder must be polled.
    public var isRemote: Bool

    public init(magic: UInt64) {
        self.magic = magic
        if let known = Self.remote[magic] {
            (name, isRemote) = (known, true)
        } else {
            (name, isRemote) = (Self.local[magic] ?? Self.hex(magic), false)
        }
    }

    /// `0x65735546`: the form `stat -f` and `linux/magic.h` use.
    public var magicHex: String { Self.hex(magic) }

    public var description: String { name }

    /// The file system of `path` (following links, as inotify does).
    public static func of(path: String) throws(SystemError) -> FileSystemKind {
        var info = statfs()
        let status = POSIX.retryingInterrupts { statfs(path, &info) }
        guard status == 0 else { throw SystemError(operation: "statfs", path: path) }
        // f_type is a signed word; magic numbers above 0x7FFFFFFF (CIFS) must not sign-extend.
        return FileSystemKind(magic: UInt64(UInt32(truncatingIfNeeded: info.f_type)))
    }

    private static func hex(_ magic: UInt64) -> String {
        let digits = String(magic, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Network, cluster and FUSE file systems (`linux/magic.h`, `man 2 statfs`). FUSE covers
    /// sshfs, bindfs, rclone, s3fs, GlusterFS, virtiofs and the like, which share its number.
    static let remote: [UInt64: String] = [
        0x6969: "nfs",
        0xFF53_4D42: "cifs",
        0xFE53_4D42: "smb2",
        0x517B: "smb",
        0x6573_5546: "fuse",
        0x0102_1997: "9p",
        0x00C3_6400: "ceph",
        0x5346_414F: "afs",
        0x6B41_4653: "afs",
        0x0BD0_0BD0: "lustre",
        0x4750_4653: "gpfs",
        0x7375_7245: "coda",
        0x564C: "ncp",
        0x7461_636F: "ocfs2",
        0x0116_1970: "gfs2",
        0x1983_0326: "beegfs",
        0x2003_0528: "orangefs",
        0x786F_4256: "vboxsf",
    ]

    /// Local file systems seen often, named for the journal and the status; any number not in
    /// either table counts as local.
    static let local: [UInt64: String] = [
        0xEF53: "ext4",
        0x5846_5342: "xfs",
        0x9123_683E: "btrfs",
        0x0102_1994: "tmpfs",
        0x794C_7630: "overlayfs",
        0x2FC1_2FC1: "zfs",
        0xF2F5_2010: "f2fs",
        0x8584_58F6: "ramfs",
        0x7371_7368: "squashfs",
        0x4D44: "vfat",
        0x2011_BAB0: "exfat",
        0x5346_544E: "ntfs",
        0x0000_9FA0: "proc",
    ]
}
