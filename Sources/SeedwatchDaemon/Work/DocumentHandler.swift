import Logging
import SeedwatchCore
import SeedwatchPipeline

/// The daemon's side of the document pipeline: the settings and processors of the moment
/// (a reload applies from the next document on), and the counters and metrics it reports.
final class DocumentHandler: Sendable {
    let live: ReloadableSettings
    let pipeline: DocumentPipeline

    init(
        live: ReloadableSettings, ledger: any FileLedger, alerts: any AlertLog, index: any DocumentIndex, queue: WorkQueue, stats: DaemonStats,
        logger: Logger
    ) throws(SystemError) {
        let settings = live.settings
        self.live = live
        let sink = IndexingSink(base: try OutboxSink(outbox: settings.outbox, quarantine: settings.quarantine), index: index, logger: logger)
        pipeline = DocumentPipeline(
            ledger: ledger, sink: sink, alerts: IndexingAlertLog(base: alerts, index: index, logger: logger), logger: logger,
            observe: { event in Self.count(event, in: stats) },
            requeue: { path in await queue.enqueue(path) }
        )
        // Copies of inputs a crash cut off before their rename into place (`FileMove`).
        if case let .move(done, _) = settings.disposition { AtomicFile.removeLeftovers(in: done) }
        AtomicFile.removeLeftovers(in: settings.quarantine + "/" + InputDisposition.quarantineFilesFolder)
    }

    /// Nil when the ledger shows the file unchanged: nothing to do.
    func admit(_ path: String) -> DocumentPipeline.Admission? {
        if let escaped = BadName.unmark(path) { return pipeline.admit(badName: escaped) }
        return pipeline.admit(path, settings: Self.pipelineSettings(live.settings))
    }

    func handle(_ admission: DocumentPipeline.Admission, sequence: UInt64) async {
        // One snapshot per document: a reload meanwhile applies from the next document on.
        let current = live.snapshot
        await pipeline.process(admission, sequence: sequence, settings: Self.pipelineSettings(current.settings), runner: current.runner)
    }

    static func pipelineSettings(_ settings: DaemonSettings) -> DocumentPipeline.Settings {
        DocumentPipeline.Settings(
            root: settings.watch, maxSize: settings.maxSize, settle: settings.settle, processDuplicates: settings.processDuplicates,
            disposition: settings.disposition
        )
    }

    private static func count(_ event: DocumentPipeline.Event, in stats: DaemonStats) {
        switch event {
        case .unchanged: stats.update { $0.unchanged += 1 }
        case let .processed(overruns):
            stats.update {
                $0.processed += 1
                $0.processorOverruns = overruns
            }
        case .duplicate: stats.update { $0.duplicates += 1 }
        case let .quarantined(code):
            stats.update { $0.quarantined += 1 }
            DaemonMetrics.record(.quarantined(code))
        case let .processorFinished(name, duration): DaemonMetrics.record(.processor(name: name, duration))
        case let .processorFailed(name): stats.update { $0.processorErrors[name, default: 0] += 1 }
        case let .alertRaised(line, alertClass):
            stats.update { $0.lastAlert = line }
            DaemonMetrics.record(.alert(alertClass: alertClass))
        case let .resultWritten(duration): DaemonMetrics.record(.resultWrite(duration))
        case let .ledgerWritten(duration): DaemonMetrics.record(.ledgerWrite(duration))
        case let .disposed(kind): stats.update { $0.dispositions[kind.rawValue, default: 0] += 1 }
        }
    }
}
