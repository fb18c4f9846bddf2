import Glibc
import Logging
import SeedwatchCore
import SeedwatchExecutors
import SeedwatchIngest

/// `ingest.after`: the input moved to the done folder or deleted, once its result (or duplicate
/// record) is durable and the ledger has it; a quarantined input moved beside its record.
///
/// A failure leaves the input where it is, with an error in the journal: the ledger already has
/// it, so the next start (or rescan) finds it there and finishes the disposition without
/// processing it again.
extension DocumentPipeline {
    /// Moves or deletes a processed input (or duplicate), if it is still the file that was read.
    func dispose(_ path: String, stamp: FileIntake.Stamp, sha256: String, settings: Settings, logger: Logger) async {
        guard !settings.disposition.keeps else { return }
        let source = settings.fullPath(path)
        // Replaced since it was read: that is a new arrival, processed on its own event.
        guard Self.intake(settings).stamp(of: path).map({ $0.size == stamp.size && $0.modifiedNanoseconds == stamp.modifiedNanoseconds }) == true else {
            logger.notice("\(path) changed after it was read: left in the watch folder")
            return
        }
        do {
            switch settings.disposition {
            case .keep:
                return
            case let .move(done, _):
                let target = try await BlockingThreadPool.shared.run { () throws(SystemError) in
                    try FileMove.move(source, into: done, relativePath: path, sha256: sha256)
                }
                report(.moved, "moved \(path) to \(target)", logger: logger)
            case .delete:
                try await BlockingThreadPool.shared.run { () throws(SystemError) in
                    if unlink(source) != 0 { throw SystemError(operation: "unlink", path: source) }
                    try AtomicFile.syncDirectory(FileMove.directory(of: source))
                }
                report(.deleted, "deleted \(path)", logger: logger)
            }
        } catch {
            logger.error("cannot \(settings.disposition.verb) \(path): \(error); it stays in the watch folder until the next start",
                         metadata: ["error": "\(error)"])
        }
    }

    /// Where a quarantined input will go: the first free name under `quarantine/files`, so the
    /// record can say it before the file moves. Nil when it stays (`keep`, or nothing to move).
    func quarantineDestination(_ path: String, stamp: FileIntake.Stamp?, settings: Settings) -> String? {
        guard stamp != nil, let files = settings.disposition.quarantineFiles else { return nil }
        return FileMove.firstFreeName(in: files, relativePath: path)
    }

    /// Moves a quarantined input beside its record; the name actually taken, or nil when it
    /// stayed in the watch folder.
    func moveQuarantined(_ path: String, sha256: String?, settings: Settings, logger: Logger) async -> String? {
        guard let files = settings.disposition.quarantineFiles else { return nil }
        let source = settings.fullPath(path)
        do {
            let target = try await BlockingThreadPool.shared.run { () throws(SystemError) in
                try FileMove.move(source, into: files, relativePath: path, sha256: sha256)
            }
            report(.quarantined, "moved quarantined \(path) to \(target)", logger: logger)
            return target
        } catch {
            logger.error("cannot move quarantined \(path) to \(files): \(error); it stays in the watch folder until the next start",
                         metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func report(_ kind: InputDisposition.Kind, _ message: String, logger: Logger) {
        observe(.disposed(kind))
        logger.debug("\(message)", metadata: ["ingest.disposition": "\(kind.rawValue)"])
    }
}

extension InputDisposition {
    var verb: String {
        switch self {
        case .keep: "keep"
        case .move: "move"
        case .delete: "delete"
        }
    }
}
