import Glibc
import SeedwatchCore
import SeedwatchPipeline

/// `POST /reprocess` of an input that `ingest.after` (move or delete) put beside its quarantine
/// record: it is moved back into the watch folder at its relative path and then reprocessed like
/// any other file. Named by its path in the watch folder (relative or absolute, as the record's
/// `path` shows it) or by its path below `quarantine/files`.
enum QuarantinedInput {
    /// The relative path of the input put back; nil when no quarantined input is known by that name.
    /// `beforeMove` runs with that path before the file reappears in the watch folder: its arrival
    /// event may be processed at once, so the ledger must forget the quarantine first, not after.
    static func restore(
        _ named: String, settings: DaemonSettings, beforeMove: (String) -> WatchPath.Refusal?
    ) -> Result<String, WatchPath.Refusal>? {
        let files = settings.quarantine + "/" + InputDisposition.quarantineFilesFolder
        let relative: String
        var source: String?
        if named.hasPrefix(files + "/") {
            relative = String(named.dropFirst(files.count + 1))
            source = named
        } else if named.hasPrefix(settings.watch + "/") {
            relative = String(named.dropFirst(settings.watch.count + 1))
        } else if named.hasPrefix("/") {
            return nil
        } else {
            relative = named
        }
        let components = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty, !components.contains(where: { $0 == ".." || $0 == "." }), !relative.utf8.contains(0) else {
            return .failure(.forbidden("\(named) is not a path below the watch folder or \(files)"))
        }
        let path = components.joined(separator: "/")
        if source == nil { source = movedTo(path, quarantine: settings.quarantine) }
        guard let source, source.hasPrefix(files + "/") else { return nil }
        var info = stat()
        guard lstat(source, &info) == 0 else { return nil }
        if let refusal = beforeMove(path) { return .failure(refusal) }
        do {
            try FileMove.move(source, into: settings.watch, relativePath: path, sha256: nil)
        } catch {
            return .failure(.invalid("cannot move \(source) back into the watch folder: \(error)"))
        }
        return .success(path)
    }

    /// The record's `moved_to` for the input at `relativePath`.
    private static func movedTo(_ relativePath: String, quarantine: String) -> String? {
        let record = quarantine + "/" + ResultNaming.quarantineName(relativePath: relativePath)
        let fd = open(record, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let bytes = PseudoFile.readToEnd(fd) else { return nil }
        return JSONValue.parse(bytes)?["moved_to"]?.stringValue
    }
}
