import Glibc
import SeedwatchCore
import Testing
@testable import SeedwatchIngest

@Suite("IngestModePlan")
struct IngestModePlanTests {
    @Test("statfs magic numbers: network and FUSE file systems are polled, local ones are not")
    func kinds() {
        let fuse = FileSystemKind(magic: 0x6573_5546)
        #expect(fuse.name == "fuse" && fuse.isRemote && fuse.magicHex == "0x65735546")
        #expect(FileSystemKind(magic: 0x6969).name == "nfs")
        let cifs = FileSystemKind(magic: 0xFF53_4D42)
        #expect(cifs.name == "cifs" && cifs.isRemote && cifs.magicHex == "0xff534d42")
        for magic: UInt64 in [0x0102_1997, 0x00C3_6400, 0x5346_414F, 0x0BD0_0BD0, 0x4750_4653, 0x517B, 0xFE53_4D42] {
            #expect(FileSystemKind(magic: magic).isRemote, "\(magic)")
        }
        for magic: UInt64 in [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0x794C_7630] {
            #expect(!FileSystemKind(magic: magic).isRemote, "\(magic)")
        }
        let unknown = FileSystemKind(magic: 0x1234)
        #expect(unknown.name == "0x00001234" && !unknown.isRemote)
    }

    @Test("statfs of real folders")
    func realFolders() throws {
        #expect(try FileSystemKind.of(path: "/proc").name == "proc")
        if access("/dev/shm", F_OK) == 0 { #expect(try FileSystemKind.of(path: "/dev/shm").name == "tmpfs") }
        #expect(throws: SystemError.self) { try FileSystemKind.of(path: "/nonexistent/folder") }
    }

    private static let kinds: [String: UInt64] = [
        "/w": 0xEF53, "/w/docs": 0xEF53, "/w/nas": 0x6573_5546, "/w/nas/2026": 0x6573_5546, "/w/scratch": 0x0102_1994,
        "/w/scratch/nfs": 0x6969,
    ]

    private func plan(_ mode: IngestMode, root: String = "/w", subfolders: [String]) -> IngestModePlan {
        IngestModePlan(mode: mode, root: root, subfolders: subfolders) { Self.kinds[$0].map(FileSystemKind.init(magic:)) }
    }

    @Test("auto, recursive: each mount below the watch folder gets its own mode; a polled folder covers what is below it")
    func autoRecursive() {
        let plan = plan(.auto, subfolders: ["nas/2026", "docs", "scratch/nfs", "nas", "scratch"])
        #expect(plan.pollRoots == ["nas", "scratch/nfs"])
        #expect(plan.folders.map(\.path) == ["", "nas", "scratch", "scratch/nfs"])
        #expect(plan.folders.map(\.method) == [.inotify, .poll, .inotify, .poll])
        #expect(plan.folders.map(\.fileSystem.name) == ["ext4", "fuse", "tmpfs", "nfs"])
    }

    @Test("auto with the watch folder on a share polls all of it; forced modes ignore the file system")
    func rootAndForced() {
        let remote = plan(.auto, root: "/w/nas", subfolders: ["2026"])
        #expect(remote.pollRoots == [""])
        #expect(remote.folders == [IngestFolder(path: "", method: .poll, fileSystem: FileSystemKind(magic: 0x6573_5546))])
        #expect(plan(.poll, subfolders: ["nas"]).pollRoots == [""])
        let inotify = plan(.inotify, root: "/w/nas", subfolders: [])
        #expect(inotify.pollRoots == [] && inotify.folders.first?.method == .inotify)
    }

    @Test("the journal's words for each case")
    func messages() {
        let fuse = IngestFolder(path: "", method: .poll, fileSystem: FileSystemKind(magic: 0x6573_5546))
        #expect(IngestModePlan.message(for: fuse, mode: .auto, root: "/w", pollInterval: .seconds(2))
            == "watch folder is on fuse (statfs 0x65735546): polling every 2000 ms")
        let nas = IngestFolder(path: "nas", method: .poll, fileSystem: FileSystemKind(magic: 0x6969))
        #expect(IngestModePlan.message(for: nas, mode: .auto, root: "/w", pollInterval: .milliseconds(500))
            == "sub-folder nas of /w is on nfs (statfs 0x00006969): polling every 500 ms")
        let local = IngestFolder(path: "", method: .poll, fileSystem: FileSystemKind(magic: 0xEF53))
        #expect(IngestModePlan.message(for: local, mode: .poll, root: "/w", pollInterval: .seconds(2))
            == "watch folder is on ext4 (statfs 0x0000ef53): polling every 2000 ms (ingest.mode is poll)")
    }
}
