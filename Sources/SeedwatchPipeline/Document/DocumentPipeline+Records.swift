import FoundationEssentials
import Logging
import SeedwatchCore
import SeedwatchIngest
import SeedwatchExecutors

/// The outcomes other than a processed document, alerts, and the retries around every write.
extension DocumentPipeline {
    func recordDuplicate(
        _ source: SourceFile, id: String, of original: String, arrivedAt: Date, previous: LedgerEntry?, settings: Settings, logger: Logger
    ) async -> Outcome {
        // Same content, so the original's result id follows from its name (it may still be in flight).
        let originalResult = ResultNaming.resultID(relativePath: original, sha256: source.sha256)
        let record = ResultRecord(duplicate: source, id: id, of: original, originalResult: originalResult, arrivedAt: arrivedAt)
        let writeStarted = ContinuousClock.now
        guard await retrying("write duplicate record", logger: logger, { try await self.sink.write(record) }) else { return .abandoned }
        observe(.resultWritten(ContinuousClock.now - writeStarted))
        let entry = LedgerEntry(path: source.relativePath, size: source.size, modifiedNanoseconds: Int64(source.modified.timeIntervalSince1970 * 1e9),
                                sha256: source.sha256, status: .duplicate, duplicateOf: original, resultID: id)
        replaced(previous, by: id, relativePath: source.relativePath, settings: settings)
        guard await persist(entry, logger: logger) else { return .abandoned }
        await reassignDuplicates(of: previous, settings: settings, logger: logger)
        observe(.duplicate)
        logger.notice("duplicate of \(original): not processed again", metadata: ["document.duplicate_of": "\(original)"])
        return .duplicate(id: id, of: original)
    }

    func quarantineFile(
        _ path: String, settings: Settings, code: QuarantineCode, message: String, size: Int64?, sha256: String?,
        stamp: FileIntake.Stamp?, previous: LedgerEntry?, logger: Logger
    ) async -> Outcome {
        var record = QuarantineWriter.Record(
            code: code, message: message, path: settings.fullPath(path), relativePath: path, size: size, sha256: sha256, time: Date()
        )
        // With `ingest.after` move or delete the input goes beside its record, which says where.
        record.movedTo = quarantineDestination(path, stamp: stamp, settings: settings)
        guard await retrying("write quarantine record", logger: logger, { try await self.sink.quarantine(record) }) else { return .abandoned }
        if let stamp {
            let entry = LedgerEntry(path: path, size: stamp.size, modifiedNanoseconds: stamp.modifiedNanoseconds,
                                    sha256: sha256 ?? "", status: .quarantined, code: code.rawValue)
            // The record replaces the file's earlier result (one name, one current record);
            // removed before the ledger changes, so a crash between the two redoes the file.
            if settings.disposition.keeps, let old = previous?.resultID { sink.removeResult(id: old) }
            guard await persist(entry, logger: logger) else { return .abandoned }
            await reassignDuplicates(of: previous, settings: settings, logger: logger)
        }
        observe(.quarantined(code: code))
        logger.warning("quarantined \(path): \(message)", metadata: ["quarantine.code": "\(code.rawValue)"])
        if let planned = record.movedTo {
            let moved = await moveQuarantined(path, sha256: sha256, settings: settings, logger: logger)
            // Another name was free by then, or the file stayed: the record says so.
            if moved != planned {
                record.movedTo = moved
                _ = await retrying("write quarantine record", logger: logger, { try await self.sink.quarantine(record) })
            }
        }
        return .quarantined(code: code, message: message)
    }

    /// The file `previous` describes no longer holds the content it was the original of: its
    /// duplicates get a valid original. Another processed copy, if there is one; else the first
    /// duplicate, processed again as the original (its result takes the id its duplicate record
    /// had), and the other duplicates point at it from now on.
    func reassignDuplicates(of previous: LedgerEntry?, settings: Settings, logger: Logger) async {
        // With `ingest.after` move or delete, the content went to the done folder with its result.
        guard settings.disposition.keeps, let previous, previous.status == .processed,
              let duplicates = try? ledger.duplicates(of: previous.path, sha256: previous.sha256), let first = duplicates.first else { return }
        let heir: String
        var repointed = duplicates[...]
        if let other = try? ledger.processed(sha256: previous.sha256, excluding: previous.path) {
            heir = other.path
        } else {
            heir = first.path
            repointed = duplicates.dropFirst()
            // Forgotten, so its admission reads it again instead of finding it unchanged.
            guard await retrying("update ledger", logger: logger, { try self.ledger.forget(path: first.path) }) else { return }
            logger.notice("\(first.path) becomes the original of its content: processed again", metadata: ["document.duplicate_of": "\(previous.path)"])
            await requeue(first.path)
        }
        let heirResult = ResultNaming.resultID(relativePath: heir, sha256: previous.sha256)
        for duplicate in repointed {
            let source = SourceFile(
                path: settings.fullPath(duplicate.path), relativePath: duplicate.path, size: duplicate.size,
                modified: Date(timeIntervalSince1970: Double(duplicate.modifiedNanoseconds) / 1e9), sha256: duplicate.sha256
            )
            let id = duplicate.resultID ?? ResultNaming.resultID(relativePath: duplicate.path, sha256: duplicate.sha256)
            let record = ResultRecord(duplicate: source, id: id, of: heir, originalResult: heirResult, arrivedAt: Date())
            guard await retrying("write duplicate record", logger: logger, { try await self.sink.write(record) }) else { return }
            var entry = duplicate
            entry.duplicateOf = heir
            guard await persist(entry, logger: logger) else { return }
        }
    }

    /// Once a duplicate record `id` is written for a file, its earlier record of another kind
    /// goes (one name has one current record, whatever kind it is), before the ledger changes.
    func replaced(_ previous: LedgerEntry?, by id: String, relativePath: String, settings: Settings) {
        if settings.disposition.keeps, let old = previous?.resultID, old != id { sink.removeResult(id: old) }
        sink.clearQuarantine(relativePath: relativePath)
    }

    /// Alerts go out once the result is safely written and before the ledger records the
    /// document: to the journal (warning, with the class's MESSAGE_ID) and to the alert log. A
    /// document processed again after a kill gets its first result back from the topic tracker,
    /// alerts included; the alert log keeps one line per alert, the journal may show it twice.
    /// False when the daemon stopped before every alert was appended.
    func raiseAlerts(_ outcomes: ProcessorOutcomes, document: Document, logger: Logger) async -> Bool {
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
                guard await retrying("append to \(AlertFile.fileName)", logger: logger, { try self.alerts.append(alert, time: now) }) else {
                    return false
                }
                observe(.alertRaised("\(Timestamp.format(now)) \(alert.alertClass) \(alert.message)", alertClass: alert.alertClass))
            }
        }
        return true
    }

    /// False when the daemon stopped before the ledger took the entry.
    func persist(_ entry: LedgerEntry, logger: Logger) async -> Bool {
        let started = ContinuousClock.now
        // Grouped: the rows of documents finishing together share one transaction.
        guard await retrying("update ledger", logger: logger, { try await self.ledger.recordGrouped(entry) }) else { return false }
        observe(.ledgerWritten(ContinuousClock.now - started))
        return true
    }

    /// Retries an operation that failed for a reason outside the document (a full disk) with
    /// back-off, until it succeeds or the task is cancelled (false).
    func retrying(_ what: String, logger: Logger, _ operation: () async throws -> Void) async -> Bool {
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
