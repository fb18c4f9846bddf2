import FoundationEssentials
import SeedwatchCore
import Glibc
import Logging

/// A readable log handler for a terminal: `time level message key=value …` on stderr.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let details = merged.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.quoted(JournalLogHandler.render($0.value)))" }
            .joined(separator: " ")
        let time = Self.clock()
        let line = "\(time) \(event.level.rawValue.uppercased()) \(event.message)" + (details.isEmpty ? "" : " \(details)") + "\n"
        StandardStreams.writeError(line)
    }

    static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == " " || $0 == "\"" || $0.isNewline }) ? SortedJSONEncoder.quote(text) : text
    }

    static func clock() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = now.tv_sec
        var parts = tm()
        localtime_r(&time, &parts)
        return CFormat.string("%02ld:%02ld:%02ld.%03ld", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(now.tv_nsec / 1_000_000))
    }
}
