import ArgumentParser
import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchProcessors
import SeedwatchSystemd

/// `seedwatch alerts`: the topic alerts in the journal, read natively through sd_journal.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Print the alerts seedwatch raised, from the systemd journal."
    )

    @Flag(name: [.short, .customLong("follow")], help: "Keep printing new alerts as they come, like journalctl -f.")
    var follow = false
    @Option(help: "Only alerts since TIME: RFC 3339 (2026-11-23T10:00:00Z), 'YYYY-MM-DD[ HH:MM[:SS]]' (UTC), 'today', 'yesterday', '@UNIX_SECONDS', or relative (--since=-30m, -2h, -1d).")
    var since: String?
    @Flag(help: "One JSON object per alert and line.")
    var json = false
    @Flag(help: "Every node's alerts, from the cluster's database (database.url), each with the node that raised it.")
    var cluster = false
    @OptionGroup var options: ConfigOptions

    static let fields = ["MESSAGE", "MESSAGE_ID", "SEEDWATCH_ALERT", "TOPIC_ID", "TOPIC_LABEL", "PREVIOUS_TOPIC_ID",
                         "SIMILARITY", "DOCUMENT_PATH", "DOCUMENT_ID"]

    func run() throws {
        if cluster { return try runCluster() }
        let sinceMicroseconds: UInt64?
        if let since {
            guard let date = SinceParser.parse(since, now: Date()) else {
                throw ValidationError("cannot read --since '\(since)'")
            }
            sinceMicroseconds = UInt64(max(0, date.timeIntervalSince1970 * 1_000_000))
        } else {
            sinceMicroseconds = nil
        }
        let reader: JournalReader
        do {
            reader = try JournalReader()
            try reader.matchAny(TopicAlertMessageID.all.map { "MESSAGE_ID=\($0)" })
            try reader.seek(sinceMicroseconds: sinceMicroseconds)
        } catch {
            StandardStreams.writeError("seedwatch: cannot read the journal: \(error)\n")
            throw ExitCode(1)
        }
        repeat {
            while let entry = try reader.next(fields: Self.fields) {
                print(json ? Self.jsonLine(entry) : Self.textLine(entry))
            }
            fflush(nil)  // all output streams: stdout may be a pipe
            if follow { try reader.wait(timeoutMicroseconds: UInt64.max) }
        } while follow
    }

    static func jsonLine(_ entry: JournalReader.Entry) -> String {
        var object: [String: JSONValue] = ["time": .string(Timestamp.format(Date(timeIntervalSince1970: Double(entry.realtimeMicroseconds) / 1e6)))]
        for (name, value) in entry.fields {
            let key = name == "SEEDWATCH_ALERT" ? "class" : name.lowercased()
            object[key] = name == "SIMILARITY" ? Double(value).map(JSONValue.number) ?? .string(value) : .string(value)
        }
        return String(decoding: JSONValue.object(object).encodedSorted(), as: UTF8.self)
    }

    static func textLine(_ entry: JournalReader.Entry) -> String {
        let time = Timestamp.format(Date(timeIntervalSince1970: Double(entry.realtimeMicroseconds) / 1e6))
        let f = entry.fields
        return "\(time)  \(f["SEEDWATCH_ALERT"] ?? "?")  \(f["TOPIC_ID"] ?? "")  \"\(f["TOPIC_LABEL"] ?? "")\"  \(f["DOCUMENT_PATH"] ?? "")"
    }
}

extension AlertsCommand {
    /// `--cluster`: the database's `alerts` table, polled once a second with `-f`.
    func runCluster() throws {
        let configuration = try options.load()
        let database: DatabaseSettings
        do {
            database = try DatabaseSettings(configuration)
        } catch {
            StandardStreams.writeError("seedwatch: configuration error: \(error)\n")
            throw ExitCode(2)
        }
        guard database.postgres != nil else {
            StandardStreams.writeError("seedwatch: --cluster reads the cluster's database: set database.url\n")
            throw ExitCode(2)
        }
        try ConfigOptions.handOffToClusterIfNeeded(configuration)
        guard let backend = DatabaseBackends.current else { throw ExitCode(1) }
        let since = try since.map { text -> Date in
            guard let date = SinceParser.parse(text, now: Date()) else { throw ValidationError("cannot read --since '\(text)'") }
            return date
        }
        var last: Int64 = 0
        var failing = false
        repeat {
            do {
                for alert in try backend.alerts(database, after: last) {
                    last = alert.sequence
                    guard var line = JSONValue.parse(Array(alert.line.utf8)) else { continue }
                    if let since, let time = line["time"]?.stringValue.flatMap(Timestamp.parse), time < since { continue }
                    if case var .object(members) = line {
                        members["node"] = alert.node.map(JSONValue.string) ?? .null
                        line = .object(members)
                    }
                    print(json ? String(decoding: line.encodedSorted(), as: UTF8.self) : Self.clusterTextLine(line))
                }
                failing = false
            } catch {
                // Said once per outage while following; at once without -f.
                guard follow else {
                    StandardStreams.writeError("seedwatch: \(error)\n")
                    throw ExitCode(1)
                }
                if !failing { StandardStreams.writeError("seedwatch: \(error) (retrying)\n") }
                failing = true
            }
            fflush(nil)
            if follow { sleep(1) }
        } while follow
    }

    static func clusterTextLine(_ line: JSONValue) -> String {
        func field(_ name: String) -> String { line[name]?.stringValue ?? "" }
        return "\(field("time"))  \(field("class"))  \(field("topic_id"))  \"\(field("topic_label"))\"  \(field("document_path"))  \(field("node"))"
    }
}

/// Reads `--since` values the way people write them.
enum SinceParser {
    static func parse(_ text: String, now: Date) -> Date? {
        let trimmed = text.trimmingWhitespace()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        switch trimmed {
        case "now": return now
        case "today": return calendar.startOfDay(for: now)
        case "yesterday": return calendar.startOfDay(for: now).addingTimeInterval(-86_400)
        default: break
        }
        if let first = trimmed.first, first == "-", let unit = trimmed.last, let amount = Double(trimmed.dropFirst().dropLast()) {
            let seconds: Double? = switch unit {
            case "s": amount
            case "m": amount * 60
            case "h": amount * 3600
            case "d": amount * 86_400
            default: nil
            }
            return seconds.map { now.addingTimeInterval(-$0) }
        }
        if trimmed.hasPrefix("@"), let seconds = Double(trimmed.dropFirst()) { return Date(timeIntervalSince1970: seconds) }
        if let date = Timestamp.parse(trimmed) { return date }
        return Timestamp.parseCalendarTime(trimmed)
    }
}
