import Glibc
import SeedwatchCore
import SeedwatchIngest

/// The standard `process_*` figures of this process, read from `/proc` at scrape time (what
/// Prometheus's own clients export under the same names).
struct ProcessSample: Sendable, Equatable {
    var cpuSeconds: Double
    var residentBytes: Int
    var virtualBytes: Int
    var openFDs: Int
    var maxFDs: Int?
    /// Seconds since the Unix epoch.
    var startTime: Double

    /// Nil when `/proc` cannot be read (not mounted): the families are then left out.
    static func current() -> ProcessSample? {
        guard let stat = PseudoFile.read("/proc/self/stat"), let system = PseudoFile.read("/proc/stat"),
              let fields = statFields(stat), let bootTime = bootTime(system) else { return nil }
        let ticks = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let pageSize = max(1, sysconf(Int32(_SC_PAGESIZE)))
        // Numbered as in proc(5), counting pid as 1: utime 14, stime 15, starttime 22, vsize 23, rss 24.
        func field(_ number: Int) -> Int? { fields.count > number - 3 ? Int(fields[number - 3]) : nil }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23), let pages = field(24),
              let openFDs = openDescriptors() else { return nil }
        var limit = rlimit()
        // RLIM_INFINITY is all ones (glibc); the macro does not import.
        let maxFDs = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max ? Int(clamping: limit.rlim_cur) : nil
        return ProcessSample(
            cpuSeconds: Double(user + system) / ticks, residentBytes: pages * pageSize, virtualBytes: virtual, openFDs: openFDs,
            maxFDs: maxFDs, startTime: Double(bootTime) + Double(start) / ticks
        )
    }

    /// The fields of `/proc/self/stat` after the command name, which may itself hold spaces and
    /// parentheses: it ends at the last `)`.
    static func statFields(_ text: String) -> [Substring]? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    /// `btime` of `/proc/stat`: when the system booted, in seconds since the epoch.
    static func bootTime(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count))
        }
        return nil
    }

    /// Entries of `/proc/self/fd`, less the one this listing holds open.
    private static func openDescriptors() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if DirectoryScanner.name(of: entry).first != UInt8(ascii: ".") { count += 1 }
        }
        return max(0, count - 1)
    }
}
