import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchIngest
import SeedwatchPipeline
import SeedwatchState

/// The control API's endpoints, independent of the HTTP transport.
///
/// `POST /documents` writes the body into the watch folder (atomically, under a temporary name
/// the watcher ignores) instead of processing it in the request: the document then takes the
/// one path every document takes — ledger, duplicates, ordering, the in-flight limit — and
/// survives a restart, since it is on disk before the 202 is sent.
struct ControlRoutes: Sendable {
    let live: ReloadableSettings
    let stats: DaemonStats
    let queue: WorkQueue
    let status: StatusReporter
    let ledger: any FileLedger
    let metrics: DaemonMetrics
    let index: any DocumentIndex

    /// Read per request: a reload may change limits and processors (paths need a restart).
    private var settings: DaemonSettings { live.settings }

    /// The pages, assets and `/api/*` JSON of `GET /` and below.
    var dashboard: Dashboard {
        Dashboard(
            index: index, ledger: ledger, settings: { [live] in live.settings },
            status: { [stats, status, live] in
                StatusDocument.make(stats: stats, mode: status.currentMode, processors: live.runner.names, overruns: live.runner.overruns, settings: live.settings)
            }
        )
    }

    func respond(to request: ControlRequest) async -> ControlResponse {
        if let answer = dashboard.respond(to: request) { return answer }
        if request.method == "POST", let refusal = CrossSiteCheck.refusal(request) { return refusal }
        switch ControlRoute.resolve(method: request.method, path: request.path) {
        case .healthz:
            return .json(200, ["status": .string("ok")])
        case .status:
            return .json(200, dashboard.status())
        case .metrics:
            return .text(200, metrics.exposition(), type: "text/plain; version=0.0.4; charset=utf-8")
        case .submit:
            return submit(request)
        case let .result(id):
            return result(id: id)
        case .reprocess:
            return await reprocess(request)
        case .methodNotAllowed:
            return .error(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
        case .notFound:
            return .error(404, "not_found", "no endpoint \(request.path)")
        }
    }

    private func submit(_ request: ControlRequest) -> ControlResponse {
        guard let body = request.body else { return tooLarge() }
        guard !body.isEmpty else { return .error(400, "empty_body", "the request body is the document and must not be empty") }
        guard body.count <= settings.maxSize else {
            return .error(413, "too_large", "the document is larger than ingest.max_size (\(settings.maxSize) bytes)")
        }
        let name = WatchPath.submittedName(hint: request.query["name"], fallback: "api-\(UUID().uuidString.lowercased()).txt")
        // A name the watcher ignores would never be processed: its result would be 404 forever.
        if let pattern = Daemon.ignorePatterns(settings).patterns.first(where: { IgnorePatterns([$0]).ignores(name: name) }) {
            return .error(400, "ignored_name", "\(name) matches '\(pattern)' in ingest.ignore and would never be processed; choose another name")
        }
        var info = stat()
        if lstat(settings.watch + "/" + name, &info) == 0 {
            return .error(409, "exists", "\(name) already exists in the watch folder")
        }
        do {
            try AtomicFile.write(body, to: settings.watch, name: name)
        } catch {
            return .error(500, "write_failed", "cannot write the document: \(error)")
        }
        let sha256 = SHA256.hex(of: body)
        let id = ResultNaming.resultID(relativePath: name, sha256: sha256)
        return .json(202, ["id": .string(id), "name": .string(name), "sha256": .string(sha256), "result": .string("/documents/\(id)")])
    }

    private func result(id raw: String) -> ControlResponse {
        guard let id = ResultFile.decodedID(raw) else { return .error(400, "bad_id", "not a result id: \(raw)") }
        switch ResultFile.read(id: id, outbox: settings.outbox, index: index) {
        case let .success(body): return ControlResponse(status: 200, contentType: "application/json", body: body)
        case .failure(.missing): return .error(404, "not_found", "no result \(id) (yet)")
        case .failure(.unreadable): return .error(500, "read_failed", "cannot read result \(id)")
        case let .failure(.stateFailed(message)): return .error(500, "state_failed", "cannot read result \(id) from the state: \(message)")
        }
    }

    /// A JSON body `{"path": …}` answers JSON; the dashboard's form (`path=…`) is sent back to
    /// the quarantine page, which says what happened.
    private func reprocess(_ request: ControlRequest) async -> ControlResponse {
        guard let body = request.body else { return tooLarge() }
        if let form = FormBody.fields(request) {
            guard let named = form["path"], !named.isEmpty else { return .error(400, "bad_request", "expected a form field path=…") }
            let answer = await reprocess(path: named)
            let outcome = answer.status == 202 ? "queued=" + HTML.urlComponent(named)
                : "failed=" + HTML.urlComponent(JSONValue.parse(answer.body)?["error"]?["message"]?.stringValue ?? "status \(answer.status)")
            return ControlResponse(status: 303, contentType: "text/plain; charset=utf-8", body: Array("see /quarantine\n".utf8),
                                   headers: ["Location": "/quarantine?" + outcome])
        }
        guard let named = JSONValue.parse(body)?["path"]?.stringValue else {
            return .error(400, "bad_request", #"expected a JSON object {"path": "…"}"#)
        }
        return await reprocess(path: named)
    }

    private func reprocess(path named: String) async -> ControlResponse {
        var found = WatchPath.relative(named, root: settings.watch)
        var forgotten = false
        // A path below quarantine/files is outside the watch folder, and one whose input lies there is missing from it.
        if case let .failure(refusal) = found, refusal.isMissing || refusal.isForbidden,
           let restored = QuarantinedInput.restore(named, settings: settings, beforeMove: { path in
               forgotten = true
               return forget(path)
           }) {
            found = restored
        }
        if case let .success(path) = found, !forgotten, let refusal = forget(path) { found = .failure(refusal) }
        switch found {
        case let .failure(.invalid(message)): return .error(400, "bad_path", message)
        case let .failure(.forbidden(message)): return .error(403, "outside_watch_folder", message)
        case let .failure(.missing(message)): return .error(404, "not_found", message)
        case let .failure(.unavailable(message)): return .error(500, "ledger_failed", message)
        case let .success(path):
            await queue.enqueue(path)
            await status.changed()
            return .json(202, ["path": .string(path), "queued": .bool(true)])
        }
    }

    /// The ledger forgets `path`, so its next admission reads it again.
    private func forget(_ path: String) -> WatchPath.Refusal? {
        do {
            try ledger.forget(path: path)
            return nil
        } catch {
            return .unavailable("cannot update the ledger: \(error)")
        }
    }

    private func tooLarge() -> ControlResponse {
        .error(413, "too_large", "the request body is larger than control.max_body")
    }
}
