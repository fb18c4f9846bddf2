import FoundationEssentials
import Logging
import SeedwatchCore
import SeedwatchIngest
import SeedwatchExecutors

/// Takes one file to exactly one outcome: read safely → hash → ledger decision → decode →
/// processors → result → outbox or quarantine → ledger → alerts. The daemon (`seedwatch run`)
/// and `seedwatch process` both use it, with their own ledger, sink and alert log.
public final class DocumentPipeline: Sendable {
    let ledger: any FileLedger
    let sink: any DocumentSink
    let alerts: any AlertLog
    let logger: Logger
    let observe: @Sendable (Event) -> Void
    /// Puts a file back in the work queue: a duplicate that becomes the original of its content.
    let requeue: @Sendable (String) async -> Void
    /// Content hashes being processed right now, so two copies arriving together are still
    /// recognised as duplicates.
    private let claims = Locked<[String: String]>([:])

    public init(
        ledger: any FileLedger, sink: any DocumentSink, alerts: any AlertLog, logger: Logger,
        observe: @escaping @Sendable (Event) -> Void = { _ in }, requeue: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.ledger = ledger
        self.sink = sink
        self.alerts = alerts
        self.logger = logger
        self.observe = observe
        self.requeue = requeue
    }

    /// Reads the ledger row of `path` (the only read of it for this document): nil when the file
    /// is there at the size and mtime recorded, so there is nothing to read.
    public func admit(_ path: String, settings: Settings) -> Admission? {
        let previous: LedgerEntry?
        do {
            previous = try ledger.entry(path: path)
        } catch {
            // Not "no row": read again, with retries, by `process` (a failed read taken for no
            // row would process a recorded file again and lose its duplicates' original).
            return Admission(subject: .file(path), previous: nil, previousUnread: true)
        }
        if let previous, Self.isRecorded(path, as: previous, settings: settings) { return nil }
        return Admission(subject: .file(path), previous: previous)
    }

    /// Names are the same file only when their bytes are: `String ==` also equates two
    /// spellings that differ in Unicode normalisation, which the file system keeps apart.
    static func sameName(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// True when the ledger has `path` at its present size and mtime (a rescan leaves it out).
    public static func isUnchanged(_ path: String, ledger: any FileLedger, settings: Settings) -> Bool {
        guard let previous = try? ledger.entry(path: path) else { return false }
        return isRecorded(path, as: previous, settings: settings)
    }

    private static func isRecorded(_ path: String, as previous: LedgerEntry, settings: Settings) -> Bool {
        // Moved or deleted once done: a recorded file still here awaits its disposition.
        guard settings.disposition.keeps, let stamp = intake(settings).stamp(of: path) else { return false }
        return previous.size == stamp.size && previous.modifiedNanoseconds == stamp.modifiedNanoseconds
    }

    /// A name that cannot be opened as given (not valid UTF-8): quarantined without reading.
    public func admit(badName escaped: String) -> Admission {
        Admission(subject: .badName(escaped: escaped), previous: nil)
    }

    static func intake(_ settings: Settings) -> FileIntake {
        FileIntake(root: settings.root, maxSize: settings.maxSize, settle: settings.settle)
    }

    /// Processes one admitted file; `sequence` is its turn at the stateful processors, given up
    /// when it does not reach them.
    @discardableResult
    public func process(_ admission: Admission, sequence: UInt64, settings: Settings, runner: ProcessorRunner) async -> Outcome {
        var reachedProcessors = false
        defer {
            if !reachedProcessors { Task(executorPreference: DaemonExecutors.preferred) { [runner] in await runner.skip(sequence: sequence) } }
        }
        let arrivedAt = Date()
        let path: String
        switch admission.subject {
        case let .badName(escaped):
            var log = logger
            log[metadataKey: "document.path"] = "\(settings.fullPath(escaped))"
            return await quarantineFile(
                escaped, settings: settings, code: .badName, message: "the name is not valid UTF-8 (shown with %XX escapes); it was not opened",
                size: nil, sha256: nil, stamp: nil, previous: nil, logger: log
            )
        case let .file(name):
            path = name
        }
        let intake = Self.intake(settings)
        let fullPath = settings.fullPath(path)
        var log = logger
        log[metadataKey: "document.path"] = "\(fullPath)"
        var previous = admission.previous
        if admission.previousUnread {
            var read: LedgerEntry?
            guard await retrying("read the ledger", logger: log, { read = try self.ledger.entry(path: path) }) else { return .abandoned }
            if let read, Self.isRecorded(path, as: read, settings: settings) { return .unchanged }
            previous = read
        }

        let content: FileIntake.Content
        let retryLog = log
        let read = await intake.read(path) { failure in
            retryLog.warning(
                "no file descriptor left to read \(path) (\(failure.message)): the read is retried until one frees",
                metadata: ["ingest.event": "out_of_descriptors"]
            )
        }
        switch read {
        case let .failure(failure):
            // Out of file descriptors and cancelled while retrying: read again at the next start.
            if failure.isTransient { return .abandoned }
            // Moved or deleted once done, and named again by a later event: nothing to do.
            if failure.code == .vanished, previous != nil, !settings.disposition.keeps {
                log.debug("\(path) is no longer in the watch folder: already moved or deleted")
                return .unchanged
            }
            let stamp = intake.stamp(of: path)
            return await quarantineFile(
                path, settings: settings, code: failure.code, message: failure.message, size: stamp?.size, sha256: nil, stamp: stamp,
                previous: previous, logger: log
            )
        case let .success(read):
            content = read
        }
        log[metadataKey: "document.sha256"] = "\(content.sha256)"
        // A duplicate is unchanged only while its original still holds the content. A quarantined
        // input awaiting its move is quarantined again below, so its record says where it went.
        var stillRecorded = false
        if let previous, previous.sha256 == content.sha256, previous.status != .quarantined || settings.disposition.keeps {
            stillRecorded = true
            if previous.status == .duplicate {
                guard let original = await readOriginal(of: content.sha256, path: path, logger: log) else { return .abandoned }
                stillRecorded = original == previous.duplicateOf
            }
        }
        if let previous, stillRecorded {
            // Same content (touched, or copied over with itself): remember the new stamp only.
            var entry = previous
            entry.size = content.stamp.size
            entry.modifiedNanoseconds = content.stamp.modifiedNanoseconds
            guard await persist(entry, logger: log) else { return .abandoned }
            observe(.unchanged)
            await dispose(path, stamp: content.stamp, sha256: content.sha256, settings: settings, logger: log)
            return .unchanged
        }
        let id = ResultNaming.resultID(relativePath: path, sha256: content.sha256)
        let source = SourceFile(path: fullPath, relativePath: path, size: content.stamp.size, modified: content.stamp.modified, sha256: content.sha256)
        // Quarantined content is checked before the duplicate look-up and claims nothing: two empty
        // (or binary) files read at once are two quarantine records, never a duplicate of a record
        // that is not a result.
        if content.bytes.isEmpty {
            return await quarantineFile(
                path, settings: settings, code: .empty, message: "the file has no content", size: 0, sha256: content.sha256,
                stamp: content.stamp, previous: previous, logger: log
            )
        }
        let decoded: (text: String, encoding: TextEncoding)
        switch TextDecoding.decode(content.bytes) {
        case let .failure(.binary(offset)):
            return await quarantineFile(
                path, settings: settings, code: .binary, message: "a NUL byte at offset \(offset): this is not a text file", size: source.size,
                sha256: content.sha256, stamp: content.stamp, previous: previous, logger: log
            )
        case .failure(.invalidUTF16):
            return await quarantineFile(
                path, settings: settings, code: .undecodable, message: "a UTF-16 byte-order mark, but the rest is not valid UTF-16", size: source.size,
                sha256: content.sha256, stamp: content.stamp, previous: previous, logger: log
            )
        case let .success(value):
            decoded = value
        }
        var original: String?
        if !settings.processDuplicates {
            guard let found = await readOriginal(of: content.sha256, path: path, logger: log) else { return .abandoned }
            original = found
        }
        if let original {
            let outcome = await recordDuplicate(source, id: id, of: original, arrivedAt: arrivedAt, previous: previous, settings: settings, logger: log)
            if outcome != .abandoned { await dispose(path, stamp: content.stamp, sha256: content.sha256, settings: settings, logger: log) }
            return outcome
        }
        // Claimed only now: content that is quarantined (empty, binary, undecodable) is nobody's
        // original, so a copy arriving meanwhile must not become its duplicate.
        claims.withLock { $0[content.sha256] = $0[content.sha256] ?? path }
        defer { claims.withLock { if $0[content.sha256].map({ Self.sameName($0, path) }) == true { $0.removeValue(forKey: content.sha256) } } }
        if decoded.encoding == .latin1 {
            log.notice("not valid UTF-8: decoded as Latin-1", metadata: ["document.encoding": "latin-1"])
        }
        let document = Document(
            id: id, source: source, text: decoded.text, encoding: decoded.encoding,
            format: DocumentFormat.detect(name: path, text: decoded.text), arrivedAt: arrivedAt, sequence: sequence
        )
        reachedProcessors = true
        let outcomes = await runner.run(document)
        // Cancelled (the drain timeout): processors cut short give no true result. Nothing is
        // written or recorded, so the next start processes the file again.
        if Task.isCancelled {
            log.notice("cancelled before its result was written: processed again at the next start")
            return .abandoned
        }
        // A stateful processor could not read or write its state (the database went away, a
        // connection was cut mid-transaction): nothing of this run is kept, and once the database
        // answers the file is queued again, to be processed from the start in a new turn. Its
        // state written before the cut, if any, gives it the same result then (a document seen before).
        if outcomes.failures.values.contains(where: \.isStateUnavailable) {
            log.warning("the state database failed while processing \(path): processed again once it answers")
            guard await retrying("read the ledger", logger: log, { _ = try self.ledger.entry(path: path) }) else { return .abandoned }
            await requeue(path)
            return .abandoned
        }
        reportProcessors(outcomes, runner: runner, logger: log)
        let record = ResultRecord(document: document, outcomes: outcomes, completedAt: Date())
        let writeStarted = ContinuousClock.now
        guard await retrying("write result", logger: log, { try await self.sink.write(record) }) else { return .abandoned }
        observe(.resultWritten(ContinuousClock.now - writeStarted))
        // With `ingest.after` move or delete, the earlier version went to the done folder (or
        // was deleted) with its result, which stays: this is a new document under the same name.
        if settings.disposition.keeps, let previous, let old = previous.resultID, old != id { sink.removeResult(id: old) }
        sink.clearQuarantine(relativePath: path)
        // Alerts before the ledger: a kill between the two processes the document again, and the
        // alert log keeps one line per alert (README.md, "Alerts").
        guard await raiseAlerts(outcomes, document: document, logger: log) else { return .abandoned }
        let entry = LedgerEntry(path: path, size: source.size, modifiedNanoseconds: content.stamp.modifiedNanoseconds, sha256: content.sha256, status: .processed, resultID: id)
        guard await persist(entry, logger: log) else { return .abandoned }
        await reassignDuplicates(of: previous, settings: settings, logger: log)
        observe(.processed(overruns: runner.overruns.running))
        log.info("processed \(path) → \(OutboxWriter.fileName(id: id))", metadata: ["result.id": "\(id)"])
        await dispose(path, stamp: content.stamp, sha256: content.sha256, settings: settings, logger: log)
        return .processed(id: id)
    }

    private func reportProcessors(_ outcomes: ProcessorOutcomes, runner: ProcessorRunner, logger: Logger) {
        for (name, duration) in outcomes.durations { observe(.processorFinished(name: name, duration: duration)) }
        for (name, failure) in outcomes.failures.sorted(by: { $0.key < $1.key }) {
            var metadata: Logger.Metadata = ["processor": "\(name)", "processor.error": "\(failure.code)"]
            var message = "processor \(name) failed: \(failure.message)"
            let overrunning = runner.overruns.running
            if failure.code == "timeout", overrunning > 0 {
                // The call was abandoned, not stopped: its thread stays busy until it returns.
                metadata["processor.overruns"] = "\(overrunning)"
                message += "; \(overrunning) processor call(s) still running past their time limit (a restart frees their threads)"
            }
            logger.warning("\(message)", metadata: metadata)
            observe(.processorFailed(name: name))
        }
    }

    /// The original of this content, read until the ledger answers: a read that failed must not
    /// make a copy an original (two results, two `processed` rows for one content). The outer
    /// nil: the daemon stopped first.
    func readOriginal(of sha256: String, path: String, logger: Logger) async -> String?? {
        var original: String?
        guard await retrying("read the ledger", logger: logger, { original = try self.originalOf(sha256, path: path) }) else { return nil }
        return .some(original)
    }

    func originalOf(_ sha256: String, path: String) throws -> String? {
        if let entry = try ledger.processed(sha256: sha256, excluding: path) { return entry.path }
        return claims.withLock { claimed in
            guard let other = claimed[sha256], !Self.sameName(other, path) else { return nil }
            return other
        }
    }
}
