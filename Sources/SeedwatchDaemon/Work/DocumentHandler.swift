import FoundationEssentials
import Logging
import SeedwatchCore
import SeedwatchExecutors
import SeedwatchIngest
import SeedwatchPipeline
import SeedwatchState

/// Takes one file from the watch folder to exactly one outcome: a result in the outbox, a
/// duplicate record, or a quarantine record — or nothing, when the ledger shows it unchanged.
final class DocumentHandler: Sendable {
    /// Paths never change while running (they need a restart); limits and processors may.
    let live: ReloadableSettings
    let ledger: Ledger
    let outbox: OutboxWriter
    let quarantine: QuarantineWriter
    let alerts: AlertLog
    let stats: DaemonStats
    let logger: Logger
    /// Content hashes being processed right now, so two copies arriving together are still
    /// recognised as duplicates.
    private let claims = Locked<[String: String]>([:])

    init(live: ReloadableSettings, ledger: Ledger, stats: DaemonStats, logger: Logger) throws(WriteError) {
        let settings = live.settings
        self.live = live
        self.ledger = ledger
        self.outbox = try OutboxWriter(directory: settings.outbox)
        self.quarantine = try QuarantineWriter(directory: settings.quarantine)
        self.alerts = AlertLog(directory: settings.outbox)
        self.stats = stats
        self.logger = logger
    }

    /// True when the ledger already has this file at this size and mtime: nothing to read.
    private static func intake(_ settings: DaemonSettings) -> FileIntake {
        FileIntake(root: settings.watch, maxSize: settings.maxSize, settle: settings.settle)
    }

    func isUnchanged(_ path: String) -> Bool {
        guard BadName.unmark(path) == nil, let stamp = Self.intake(live.settings).stamp(of: path), let entry = try? ledger.entry(path: path) else { return false }
        return entry.size == stamp.size && entry.modifiedNanoseconds == stamp.modifiedNanoseconds
    }

    func handle(_ path: String, sequence: UInt64) async {
        // One snapshot per document: a reload meanwhile applies from the next document on.
        let current = live.snapshot
        let settings = current.settings
        let runner = current.runner
        let intake = Self.intake(settings)
        var reachedProcessors = false
        defer {
            if !reachedProcessors { Task(executorPreference: DaemonExecutors.preferred) { [runner] in await runner.skip(sequence: sequence) } }
        }
        let arrivedAt = Date()
        if let escaped = BadName.unmark(path) {
            var log = logger
            log[metadataKey: "document.path"] = "\(settings.watch)/\(escaped)"
            await quarantineFile(escaped, root: settings.watch, code: .badName, message: "the name is not valid UTF-8 (shown with %XX escapes); it was not opened", size: nil, sha256: nil, stamp: nil, logger: log)
            return
        }
        let fullPath = settings.watch + "/" + path
        var log = logger
        log[metadataKey: "document.path"] = "\(fullPath)"

        let content: FileIntake.Content
        switch await intake.read(path) {
        case let .failure(failure):
            let stamp = intake.stamp(of: path)
            await quarantineFile(path, root: settings.watch, code: failure.code, message: failure.message, size: stamp?.size, sha256: nil, stamp: stamp, logger: log)
            return
        case let .success(read):
            content = read
        }
        log[metadataKey: "document.sha256"] = "\(content.sha256)"
        let previous = try? ledger.entry(path: path)
        if let previous, previous.sha256 == content.sha256 {
            // Same content (touched, or copied over with itself): remember the new stamp only.
            var entry = previous
            entry.size = content.stamp.size
            entry.modifiedNanoseconds = content.stamp.modifiedNanoseconds
            await persist(entry, logger: log)
            stats.update { $0.unchanged += 1 }
            return
        }
        let id = ResultNaming.resultID(relativePath: path, sha256: content.sha256)
        let source = SourceFile(path: fullPath, relativePath: path, size: content.stamp.size, modified: content.stamp.modified, sha256: content.sha256)
        if !settings.processDuplicates, let original = originalOf(content.sha256, path: path) {
            await recordDuplicate(source, id: id, of: original, arrivedAt: arrivedAt, logger: log)
            return
        }
        claims.withLock { $0[content.sha256] = $0[content.sha256] ?? path }
        defer { claims.withLock { if $0[content.sha256] == path { $0.removeValue(forKey: content.sha256) } } }

        if content.bytes.isEmpty {
            await quarantineFile(path, root: settings.watch, code: .empty, message: "the file has no content", size: 0, sha256: content.sha256, stamp: content.stamp, logger: log)
            return
        }
        let decoded: (text: String, encoding: TextEncoding)
        switch TextDecoding.decode(content.bytes) {
        case let .failure(.binary(offset)):
            await quarantineFile(path, root: settings.watch, code: .binary, message: "a NUL byte at offset \(offset): this is not a text file", size: source.size, sha256: content.sha256, stamp: content.stamp, logger: log)
            return
        case .failure(.invalidUTF16):
            await quarantineFile(path, root: settings.watch, code: .undecodable, message: "a UTF-16 byte-order mark, but the rest is not valid UTF-16", size: source.size, sha256: content.sha256, stamp: content.stamp, logger: log)
            return
        case let .success(value):
            decoded = value
        }
        if decoded.encoding == .latin1 {
            log.notice("not valid UTF-8: decoded as Latin-1", metadata: ["document.encoding": "latin-1"])
        }
        let document = Document(
            id: id, source: source, text: decoded.text, encoding: decoded.encoding,
            format: DocumentFormat.detect(name: path, text: decoded.text), arrivedAt: arrivedAt, sequence: sequence
        )
        reachedProcessors = true
        let outcomes = await runner.run(document)
        for (name, duration) in outcomes.durations { DaemonMetrics.recordLatency(processor: name, duration) }
        for (name, failure) in outcomes.failures.sorted(by: { $0.key < $1.key }) {
            var metadata: Logger.Metadata = ["processor": "\(name)", "processor.error": "\(failure.code)"]
            var message = "processor \(name) failed: \(failure.message)"
            let overrunning = runner.overruns.running
            if failure.code == "timeout", overrunning > 0 {
                // The call was abandoned, not stopped: its thread stays busy until it returns.
                metadata["processor.overruns"] = "\(overrunning)"
                message += "; \(overrunning) processor call(s) still running past their time limit (a restart frees their threads)"
            }
            log.warning("\(message)", metadata: metadata)
            stats.update { $0.processorErrors[name, default: 0] += 1 }
        }
        let record = ResultRecord(document: document, outcomes: outcomes, completedAt: Date())
        guard await retrying("write result", logger: log, { () async throws(WriteError) in try await self.writeOff(record) }) else { return }
        if let previous, let old = previous.resultID, old != id { outbox.remove(id: old) }
        quarantine.clear(relativePath: path)
        let entry = LedgerEntry(path: path, size: source.size, modifiedNanoseconds: content.stamp.modifiedNanoseconds, sha256: content.sha256, status: .processed, resultID: id)
        await persist(entry, logger: log)
        await raiseAlerts(outcomes, document: document, logger: log)
        stats.update {
            $0.processed += 1
            $0.processorOverruns = runner.overruns.running
        }
        log.info("processed \(path) → \(OutboxWriter.fileName(id: id))", metadata: ["result.id": "\(id)"])
    }

    /// The result written (temp file, `fsync`, `rename`, folder `fsync`) on a thread of the
    /// blocking pool: on Swift's pool (one thread per core), two documents waiting for a slow
    /// disk would hold every thread, and nothing else in the daemon would run meanwhile. (On this
    /// machine's disk it changed neither throughput nor CPU: docs/BENCHMARKS.md, sixth pass.)
    private func writeOff(_ record: ResultRecord) async throws(WriteError) {
        try await BlockingThreadPool.shared.run { () throws(WriteError) in try self.outbox.write(record) }
    }

    /// Alerts go out once the result is safely written: to the journal (warning, with the
    /// class's MESSAGE_ID) and to `alerts.jsonl`. After a crash between the two, a reprocessed
    /// document does not raise them again, because the topic state already holds it.
    private func raiseAlerts(_ outcomes: ProcessorOutcomes, document: Document, logger: Logger) async {
        for (_, result) in outcomes.byName.sorted(by: { $0.key < $1.key }) {
            guard case let .success(output) = result, let raising = output as? any AlertRaising else { continue }
            for alert in raising.raisedAlerts {
                var metadata: Logger.Metadata = [
                    "message_id": "\(alert.messageID)",
                    "seedwatch.alert": "\(alert.alertClass)",
                ]
                for (name, value) in alert.fields { metadata[name.lowercased()] = "\(value)" }
                logger.warning("\(alert.message) (\(document.source.relativePath))", metadata: metadata)
                let now = Date()
                _ = await retrying("append to \(AlertLog.fileName)", logger: logger) { () throws(WriteError) in
                    try self.alerts.append(alert, time: now)
                }
                stats.update { $0.lastAlert = "\(Timestamp.format(now)) \(alert.alertClass) \(alert.message)" }
            }
        }
    }

    private func originalOf(_ sha256: String, path: String) -> String? {
        if let entry = try? ledger.processed(sha256: sha256, excluding: path) { return entry.path }
        return claims.withLock { claimed in
            guard let other = claimed[sha256], other != path else { return nil }
            return other
        }
    }

    private func recordDuplicate(_ source: SourceFile, id: String, of original: String, arrivedAt: Date, logger: Logger) async {
        // Same content, so the original's result id follows from its name (it may still be in flight).
        let originalResult = ResultNaming.resultID(relativePath: original, sha256: source.sha256)
        let record = ResultRecord(duplicate: source, id: id, of: original, originalResult: originalResult, arrivedAt: arrivedAt)
        guard await retrying("write duplicate record", logger: logger, { () async throws(WriteError) in try await self.writeOff(record) }) else { return }
        let entry = LedgerEntry(path: source.relativePath, size: source.size, modifiedNanoseconds: Int64(source.modified.timeIntervalSince1970 * 1e9),
                                sha256: source.sha256, status: .duplicate, duplicateOf: original, resultID: id)
        await persist(entry, logger: logger)
        stats.update { $0.duplicates += 1 }
        logger.notice("duplicate of \(original): not processed again", metadata: ["document.duplicate_of": "\(original)"])
    }

    private func quarantineFile(
        _ path: String, root: String, code: QuarantineCode, message: String, size: Int64?, sha256: String?,
        stamp: FileIntake.Stamp?, logger: Logger
    ) async {
        let fullPath = root + "/" + path
        let record = QuarantineWriter.Record(code: code, message: message, path: fullPath, relativePath: path, size: size, sha256: sha256, time: Date())
        guard await retrying("write quarantine record", logger: logger, { () async throws(WriteError) in
            try await BlockingThreadPool.shared.run { () throws(WriteError) in try self.quarantine.write(record) }
        }) else { return }
        if let stamp {
            let entry = LedgerEntry(path: path, size: stamp.size, modifiedNanoseconds: stamp.modifiedNanoseconds,
                                    sha256: sha256 ?? "", status: .quarantined, code: code.rawValue)
            await persist(entry, logger: logger)
        }
        stats.update { $0.quarantined += 1 }
        logger.warning("quarantined \(path): \(message)", metadata: ["quarantine.code": "\(code.rawValue)"])
    }

    private func persist(_ entry: LedgerEntry, logger: Logger) async {
        _ = await retrying("update ledger", logger: logger) { () throws(StateError) in try self.ledger.record(entry) }
    }

    /// Retries an operation that failed for a reason outside the document (a full disk) with
    /// back-off, until it succeeds or the daemon stops.
    private func retrying<E: Error>(_ what: String, logger: Logger, _ operation: () async throws(E) -> Void) async -> Bool {
        var delay = Duration.milliseconds(250)
        while true {
            do {
                try await operation()
                return true
            } catch {
                logger.error("cannot \(what): \(error); retrying in \(delay)", metadata: ["error": "\(error)"])
                do {
                    try await DaemonExecutors.sleep(for: delay)
                } catch {
                    return false
                }
                delay = min(delay * 2, .seconds(30))
            }
        }
    }
}
