import Foundation
import SeedwatchCore
import SeedwatchState
import SeedwatchSystemd
import Testing
@testable import SeedwatchDaemon

/// Every route of the control API, called directly (no socket): status codes, error codes and
/// what each one leaves on disk.
@Suite("control routes")
struct ControlRoutesTests {
    /// Routes over real folders, a real ledger and the stats processor only.
    final class Fixture: Sendable {
        let root: String
        let watch: String
        let outbox: String
        let routes: ControlRoutes
        let queue: WorkQueue

        /// `ledger` is made for the watch folder's path.
        init(_ overrides: [String] = [], ledger: (_ watch: String) -> any FileLedger = { _ in MemoryLedger() }) throws {
            root = NSTemporaryDirectory() + "seedwatch-routes-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            watch = root + "/in"
            outbox = root + "/outbox"
            for folder in [watch, outbox] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let configuration = try ConfigLoader(schema: ProcessorSetup.schema).load(
                file: nil, defaultFile: nil, environment: [:],
                overrides: ["watch=\(watch)", "outbox=\(outbox)", "state=\(root)/state", "quarantine=\(root)/quarantine"] + overrides
            )
            let settings = DaemonSettings(configuration)
            let runner = try ProcessorSetup.makeRunner(configuration, store: MemoryStateStore(), only: ["stats"])
            let stats = DaemonStats()
            queue = WorkQueue(capacity: 100) { [] }
            routes = ControlRoutes(
                live: ReloadableSettings(configuration: configuration, settings: settings, runner: runner), stats: stats, queue: queue,
                status: StatusReporter(stats: stats, notifier: SystemdNotifier(), queue: queue),
                ledger: ledger(watch), metrics: DaemonMetrics.bootstrap(stats: stats), index: MemoryDocumentIndex()
            )
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func call(_ method: String, _ uri: String, _ body: String? = nil) async -> ControlResponse {
            await routes.respond(to: ControlRequest(method: method, uri: uri, body: Array((body ?? "").utf8)))
        }
    }

    @Test("GET and HEAD /healthz, GET /status, GET /metrics answer 200")
    func readOnly() async throws {
        let fixture = try Fixture()
        for method in ["GET", "HEAD"] {
            let health = await fixture.call(method, "/healthz")
            #expect(health.status == 200)
            #expect(health.body == Array(#"{"status":"ok"}"#.utf8) + [0x0A])
        }
        let status = await fixture.call("GET", "/status")
        #expect(status.status == 200)
        let json = try #require(JSONValue.parse(status.body))
        #expect(json["watch"]?.stringValue == fixture.watch)
        #expect(json["processors"] != nil)
        let metrics = await fixture.call("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.contentType.hasPrefix("text/plain; version=0.0.4"))
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("seedwatch_documents_total"))
    }

    @Test("a known path with another method gets 405", arguments: [
        ("POST", "/healthz"), ("DELETE", "/healthz"), ("POST", "/status"), ("HEAD", "/status"), ("PUT", "/metrics"),
        ("GET", "/documents"), ("PUT", "/documents"), ("POST", "/documents/a.txt.12345678"), ("DELETE", "/documents/x"),
        ("GET", "/reprocess"), ("PATCH", "/reprocess"),
    ])
    func methodNotAllowed(method: String, path: String) async throws {
        let response = try await Fixture().call(method, path)
        #expect(response.status == 405)
        #expect(errorCode(response) == "method_not_allowed")
    }

    @Test("an unknown path gets 404", arguments: ["", "/nope", "/view", "/view/", "/api", "/api/topics/x", "/healthz/", "//healthz", "/documents/a/b", "/status/x", "/HEALTHZ", "/metrics?x"])
    func unknownPath(path: String) async throws {
        let response = try await Fixture().call("GET", path)
        if path == "/metrics?x" {
            // The query is not part of the path.
            #expect(response.status == 200)
        } else {
            #expect(response.status == 404)
            #expect(errorCode(response) == "not_found")
        }
    }

    @Test("GET /documents/{id}: 400 for what is not an id, 404 for a missing result, 200 with the result's bytes")
    func resultByID() async throws {
        let fixture = try Fixture()
        for bad in ["/documents/", "/documents/..", "/documents/.hidden", "/documents/a%2F..%2Fb", "/documents/a%00b", "/documents/%ZZ"] {
            let response = await fixture.call("GET", bad)
            #expect(response.status == 400, "\(bad)")
            #expect(errorCode(response) == "bad_id", "\(bad)")
        }
        #expect(await fixture.call("GET", "/documents/none.12345678").status == 404)
        let stored = Array(#"{"id":"a.txt.12345678"}"#.utf8)
        try Data(stored).write(to: URL(fileURLWithPath: fixture.outbox + "/a.txt.12345678.json"))
        let found = await fixture.call("GET", "/documents/a.txt.12345678")
        #expect(found.status == 200)
        #expect(found.body == stored)
    }

    @Test("POST /documents writes the body into the watch folder and returns its id; empty, existing and too large are refused")
    func submit() async throws {
        let fixture = try Fixture(["ingest.max_size=32"])
        let accepted = await fixture.call("POST", "/documents?name=note.txt", "A short note.")
        #expect(accepted.status == 202)
        let json = try #require(JSONValue.parse(accepted.body))
        let sha = SHA256.hex(of: Array("A short note.".utf8))
        #expect(json["id"]?.stringValue == "note.txt." + sha.prefix(8))
        #expect(json["result"]?.stringValue == "/documents/note.txt." + sha.prefix(8))
        #expect(try String(contentsOfFile: fixture.watch + "/note.txt", encoding: .utf8) == "A short note.")
        #expect(await fixture.call("POST", "/documents?name=note.txt", "Again.").status == 409)
        let empty = await fixture.call("POST", "/documents?name=empty.txt", "")
        #expect(empty.status == 400)
        #expect(errorCode(empty) == "empty_body")
        let large = await fixture.call("POST", "/documents?name=large.txt", String(repeating: "x", count: 33))
        #expect(large.status == 413)
        let discarded = await fixture.routes.respond(to: ControlRequest(method: "POST", uri: "/documents", body: nil))
        #expect(discarded.status == 413)
        #expect(!FileManager.default.fileExists(atPath: fixture.watch + "/large.txt"))
    }

    /// Defect 8: these names match `ingest.ignore`, so a 202 promised a result that never came.
    @Test("POST /documents refuses a name ingest.ignore matches, naming the pattern", arguments: [
        ("doc.tmp", "*.tmp"), ("upload.part", "*.part"), ("x.swp", "*.swp"), ("big.filepart", "*.filepart"),
        ("file.crdownload", "*.crdownload"),
    ])
    func ignoredName(name: String, pattern: String) async throws {
        let fixture = try Fixture()
        let response = await fixture.call("POST", "/documents?name=\(name)", "Would never be processed.")
        #expect(response.status == 400)
        #expect(errorCode(response) == "ignored_name")
        #expect(String(decoding: response.body, as: UTF8.self).contains("'\(pattern)'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.watch).isEmpty)
    }

    @Test("POST /documents follows the configured ignore list")
    func customIgnore() async throws {
        let fixture = try Fixture(["ingest.ignore=*.draft"])
        let refused = await fixture.call("POST", "/documents?name=a.draft", "Draft.")
        #expect(refused.status == 400)
        // Not in this list: accepted.
        #expect(await fixture.call("POST", "/documents?name=b.tmp", "Kept.").status == 202)
    }

    @Test("POST /reprocess queues a file in the watch folder; refuses bad JSON, paths outside and missing files")
    func reprocess() async throws {
        let fixture = try Fixture()
        try Data("x".utf8).write(to: URL(fileURLWithPath: fixture.watch + "/a.txt"))
        let cases: [(String, Int, String)] = [
            ("not json", 400, "bad_request"), (#"{"file": "a.txt"}"#, 400, "bad_request"), (#"{"path": ""}"#, 400, "bad_path"),
            (#"{"path": "../a.txt"}"#, 403, "outside_watch_folder"), (#"{"path": "/etc/passwd"}"#, 403, "outside_watch_folder"),
            (#"{"path": "b.txt"}"#, 404, "not_found"),
        ]
        for (body, status, code) in cases {
            let response = await fixture.call("POST", "/reprocess", body)
            #expect(response.status == status, "\(body)")
            #expect(errorCode(response) == code, "\(body)")
        }
        #expect(await fixture.queue.depth == 0)
        let queued = await fixture.call("POST", "/reprocess", #"{"path": "a.txt"}"#)
        #expect(queued.status == 202)
        #expect(await fixture.queue.depth == 1)
    }

    /// A ledger that notes, at each `forget`, whether the file is back in the watch folder.
    final class ForgetWitness: FileLedger, Sendable {
        let base = MemoryLedger()
        let watch: String
        let inWatchFolderAtForget = Locked<[Bool]>([])
        init(watch: String) { self.watch = watch }
        func entry(path: String) throws -> LedgerEntry? { try base.entry(path: path) }
        func processed(sha256: String, excluding path: String) throws -> LedgerEntry? { try base.processed(sha256: sha256, excluding: path) }
        func duplicates(of path: String, sha256: String) throws -> [LedgerEntry] { try base.duplicates(of: path, sha256: sha256) }
        func record(_ entry: LedgerEntry) throws { try base.record(entry) }
        func counts() throws -> [LedgerStatus: Int] { try base.counts() }
        func forget(path: String) throws {
            let there = FileManager.default.fileExists(atPath: watch + "/" + path)
            inWatchFolderAtForget.withLock { $0.append(there) }
            try base.forget(path: path)
        }
    }

    /// Once the input is back in the watch folder its arrival event may be processed at once (and
    /// the input deleted); a ledger that forgot it only then sent the later admission to a missing
    /// file with no ledger row: a `vanished` quarantine record after a good result.
    @Test("POST /reprocess of an input beside its quarantine record: the ledger forgets it before it is moved back")
    func reprocessQuarantinedInput() async throws {
        let witness = Locked<ForgetWitness?>(nil)
        let fixture = try Fixture(["ingest.after=delete"]) { watch in
            let ledger = ForgetWitness(watch: watch)
            witness.withLock { $0 = ledger }
            return ledger
        }
        let ledger = try #require(witness.withLock { $0 })
        let files = fixture.root + "/quarantine/files"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        try Data("Fixed now.".utf8).write(to: URL(fileURLWithPath: files + "/empty.txt"))
        let response = await fixture.call("POST", "/reprocess", #"{"path": "\#(files)/empty.txt"}"#)
        #expect(response.status == 202, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(FileManager.default.fileExists(atPath: fixture.watch + "/empty.txt"))
        #expect(await fixture.queue.depth == 1)
        #expect(ledger.inWatchFolderAtForget.withLock { $0 } == [false])
    }
}

func errorCode(_ response: ControlResponse) -> String? {
    JSONValue.parse(response.body)?["error"]?["code"]?.stringValue
}
