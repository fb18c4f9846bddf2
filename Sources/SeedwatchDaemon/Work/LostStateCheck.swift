import Glibc
import Logging
import SeedwatchIngest
import SeedwatchCore

/// A state database with no file in it beside an outbox full of results means the state was
/// lost (the database emptied, truncated to 0 bytes or replaced): every file in the watch folder
/// will be processed again and every alert raised again. That is allowed, but never silently.
enum LostStateCheck {
    static func warnIfLost(ledger: any FileLedger, location: String, outbox: String, logger: Logger) {
        guard let counts = try? ledger.counts(), counts.values.reduce(0, +) == 0, holdsResults(outbox) else { return }
        logger.error(
            "the state in \(location) records no files, but the outbox \(outbox) holds results: was the state lost? Every file in the watch folder is processed again, and its alerts are raised again",
            metadata: ["state.event": "empty_with_results"]
        )
    }

    /// True when the folder holds at least one result (`*.json`, temporaries aside).
    static func holdsResults(_ folder: String) -> Bool {
        guard let directory = opendir(folder) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = String(decoding: DirectoryScanner.name(of: entry), as: UTF8.self)
            if !name.hasPrefix("."), name.hasSuffix(".json") { return true }
        }
        return false
    }
}
