import ArgumentParser
import FoundationEssentials
import SeedwatchCore
import Glibc
import SeedwatchDaemon

/// `seedwatch status`: asks the running daemon over its control socket and prints a
/// systemctl-like summary; exit status 3 when nothing answers (as `systemctl status` does for
/// an inactive unit).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the running daemon's state, from its control socket."
    )

    @OptionGroup var options: ConfigOptions
    @Option(help: "Control socket (default: control.socket from the configuration).") var socket: String?

    func run() throws {
        let path: String
        if let socket {
            path = socket
        } else {
            do {
                path = try ControlSettings(options.load()).socketPath
            } catch {
                StandardStreams.writeError("seedwatch: configuration error: \(error)\n")
                throw ExitCode(2)
            }
        }
        let body: Data
        do {
            body = try ControlClient.get("/status", socket: path)
        } catch {
            print("○ seedwatch - inactive (\(error))")
            throw ExitCode(3)
        }
        guard case let .object(status)? = JSONValue.parse(body) else {
            print("● seedwatch - unknown (the answer from \(path) is not a status document)")
            throw ExitCode(4)
        }
        print(StatusText.render(status, socket: path))
    }
}

/// The summary printed by `seedwatch status`.
enum StatusText {
    static func render(_ s: [String: JSONValue], socket: String) -> String {
        func int(_ key: String) -> Int { s[key]?.intValue ?? 0 }
        func text(_ key: String) -> String { s[key]?.stringValue ?? "?" }
        let mode = s["mode"]?.stringValue ?? "unknown"
        let uptime = Int(s["uptime_seconds"]?.doubleValue ?? 0)
        let processors = (s["processors"]?.arrayValue ?? []).map { entry in
            "\(entry["name"]?.stringValue ?? "?") (\(entry["errors"]?.intValue ?? 0) errors)"
        }
        let alert = s["last_alert"]?.stringValue ?? "none"
        // Only when there are some: threads held by calls cut at their time limit.
        let overruns = int("processor_overruns") > 0
            ? "\n   Overruns: \(int("processor_overruns")) processor calls still running past their time limit (a restart frees their threads)"
            : ""
        return """
        ● seedwatch - active (\(mode))
              Since: \(text("started_at")); \(duration(uptime)) ago
           Main PID: \(int("pid"))
              Watch: \(text("watch"))
             Ingest: \(ingest(s))
             Outbox: \(text("outbox"))
              Queue: \(int("queue_depth")) waiting, \(int("in_flight")) in flight
          Processed: \(int("processed"))
         Duplicates: \(int("duplicates"))
        Quarantined: \(int("quarantined"))
          Overflows: \(int("inotify_overflows"))
         Processors: \(processors.joined(separator: ", "))\(overruns)
         Last alert: \(alert)\(cluster(s))
            Control: \(socket)
        """
    }

    static func duration(_ seconds: Int) -> String {
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        if h > 0 { return "\(h)h \(m)min" }
        if m > 0 { return "\(m)min \(s)s" }
        return "\(s)s"
    }
}
