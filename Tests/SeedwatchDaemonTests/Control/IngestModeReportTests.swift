import SeedwatchCore
import SeedwatchIngest
import Testing
@testable import SeedwatchDaemon
@testable import SeedwatchCommandLine

/// How the ingest modes are reported: STATUS=, `GET /status`, `seedwatch status`, `/metrics`.
@Suite("ingest mode reports")
struct IngestModeReportTests {
    private static func stats() -> DaemonStats {
        let stats = DaemonStats()
        stats.ingest.update {
            $0 = IngestModeBoard.Snapshot(mode: .auto, root: "/srv/in", folders: [
                IngestFolder(path: "", method: .inotify, fileSystem: FileSystemKind(magic: 0xEF53)),
                IngestFolder(path: "nas", method: .poll, fileSystem: FileSystemKind(magic: 0x6573_5546)),
            ], pollInterval: .seconds(2))
        }
        return stats
    }

    @Test("STATUS= names the polled folders, and says nothing of polling while none is")
    func statusLine() {
        let stats = Self.stats()
        #expect(stats.statusLine(mode: "watching").hasSuffix("quarantined 0, polling every 2000 ms: nas (fuse)"))
        stats.ingest.update { $0.folders.removeLast() }
        #expect(stats.statusLine(mode: "watching") == "watching: queue 0, in flight 0, processed 0, duplicates 0, quarantined 0")
    }

    @Test("GET /status carries the folders and seedwatch status prints them on one line")
    func statusDocumentAndText() {
        let stats = Self.stats()
        guard case let .object(ingest) = stats.ingest.json else {
            Issue.record("ingest is not an object")
            return
        }
        #expect(ingest["mode"] == .string("auto"))
        #expect(ingest["poll_interval_ms"] == .integer(2000))
        #expect(ingest["folders"]?.arrayValue?.last == .object([
            "path": .string("/srv/in/nas"), "mode": .string("poll"), "fs": .string("fuse"), "statfs_type": .string("0x65735546"),
        ]))
        let status: [String: JSONValue] = ["watch": .string("/srv/in"), "ingest": stats.ingest.json]
        #expect(StatusText.ingest(status) == "inotify (ext4); /srv/in/nas: poll every 2000 ms (fuse)")
        #expect(StatusText.render(status, socket: "/run/seedwatch/control.sock")
            .contains("     Ingest: inotify (ext4); /srv/in/nas: poll every 2000 ms (fuse)"))
    }

    @Test("seedwatch_ingest_mode: one series per folder and mode, 1 for the mode in use, with HELP and TYPE")
    func metrics() {
        let text = IngestModeMetrics.exposition(Self.stats().ingest.snapshot)
        #expect(text == """
            # HELP seedwatch_ingest_mode How each watched folder is watched: 1 for its mode (inotify or poll), 0 for the other.
            # TYPE seedwatch_ingest_mode gauge
            seedwatch_ingest_mode{folder="/srv/in",mode="inotify"} 1
            seedwatch_ingest_mode{folder="/srv/in",mode="poll"} 0
            seedwatch_ingest_mode{folder="/srv/in/nas",mode="inotify"} 0
            seedwatch_ingest_mode{folder="/srv/in/nas",mode="poll"} 1

            """)
        #expect(IngestModeMetrics.escaped(#"a"b\c"#) == #"a\"b\\c"#)
    }

    @Test("ingest.poll_interval_ms applies on reload; ingest.mode needs a restart")
    func reloadFlags() {
        let flags = Dictionary(uniqueKeysWithValues: IngestModeConfigKeys.all.map { ($0.name, $0.appliesOnReload) })
        #expect(flags == ["ingest.mode": false, "ingest.poll_interval_ms": true])
    }
}
