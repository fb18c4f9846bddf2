import Foundation
import SeedwatchCore
import SeedwatchSystemd
@testable import SeedwatchDaemon

/// The control routes over real folders, a memory ledger and a memory document index, for the
/// dashboard's pages and JSON called directly (no socket).
final class DashboardFixture: Sendable {
    let root: String
    let watch: String
    let outbox: String
    let quarantine: String
    let index = MemoryDocumentIndex()
    let routes: ControlRoutes

    init() throws {
        root = NSTemporaryDirectory() + "seedwatch-dashboard-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        watch = root + "/in"
        outbox = root + "/outbox"
        quarantine = root + "/quarantine"
        for folder in [watch, outbox, quarantine] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let configuration = try ConfigLoader(schema: ProcessorSetup.schema).load(
            file: nil, defaultFile: nil, environment: [:],
            overrides: ["watch=\(watch)", "outbox=\(outbox)", "state=\(root)/state", "quarantine=\(quarantine)"]
        )
        let settings = DaemonSettings(configuration)
        let runner = try ProcessorSetup.makeRunner(configuration, store: MemoryStateStore(), only: ["stats"])
        let stats = DaemonStats()
        let queue = WorkQueue(capacity: 100) { [] }
        routes = ControlRoutes(
            live: ReloadableSettings(configuration: configuration, settings: settings, runner: runner), stats: stats, queue: queue,
            status: StatusReporter(stats: stats, notifier: SystemdNotifier(), queue: queue),
            ledger: MemoryLedger(), metrics: DaemonMetrics.bootstrap(stats: stats), index: index
        )
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func call(_ method: String, _ uri: String, _ body: String = "", headers: [String: String] = [:]) async -> ControlResponse {
        await routes.respond(to: ControlRequest(method: method, uri: uri, body: Array(body.utf8), headers: headers))
    }

    func text(_ uri: String) async -> (response: ControlResponse, body: String) {
        let response = await call("GET", uri)
        return (response, String(decoding: response.body, as: UTF8.self))
    }

    /// A result in the outbox and its row in the index, as the daemon would leave them.
    func addDocument(id: String, title: String, topic: String, label: String, alerts: [String] = [], time: Date = Date()) throws {
        let alertObjects = alerts.map { #"{"class":"\#($0)","topic_id":"\#(topic)","topic_label":"label","document_id":"\#(id)","document_path":"x"}"# }
        let result = """
            {"id":\(Self.quoted(id)),"status":"processed","completed_at":"2026-12-07T10:00:00.000Z",
             "source":{"relative_path":"\(id).txt","sha256":"00"},
             "processors":{"text":{"status":"ok","duration_ms":1.5},"topics":{"status":"ok","duration_ms":0.25}},"errors":{},"warnings":[],
             "results":{"text":{"title":\(Self.quoted(title))},
                        "summary":{"sentences":[{"text":"First chosen sentence."}],"keyphrases":[{"text":"harbour tram"}]},
                        "entities":{"entities":[{"name":"Oslo","type":"LOCATION","aliases":["Christiania"],"count":2},
                                                {"name":"Ada Lovelace","type":"PERSON","aliases":[],"count":1}]},
                        "topics":{"topic":"\(topic)","label":\(Self.quoted(label)),"similarity":0.5,"alerts":[\(alertObjects.joined(separator: ","))],
                                  "near_duplicate_of":null}}}
            """
        try result.write(toFile: outbox + "/" + id + ".json", atomically: true, encoding: .utf8)
        try index.record(IndexedDocument(id: id, path: id + ".txt", title: title, topic: topic, topicLabel: label, alerts: alerts, time: time))
    }

    static func quoted(_ text: String) -> String {
        String(decoding: JSONValue.string(text).encodedSorted(), as: UTF8.self)
    }
}
