import Glibc
import SeedwatchCore

/// `seedwatch process`'s progress on a terminal: one line on standard error, redrawn in place
/// ("12/40 done, 3.1 files/s, about 9 s left"). Silent when standard error is not a terminal, or
/// for a single file, so logs and pipes get only the reports and the diagnostics.
struct ProgressLine {
    let total: Int
    let enabled: Bool
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private var visible = false
    private(set) var done = 0

    /// At most this often, so a fast run does not spend its time redrawing.
    static let interval = Duration.milliseconds(100)

    init(total: Int, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        enabled = terminal && total > 1
        started = clock.now
    }

    mutating func start() {
        draw(force: true)
    }

    /// One more file finished.
    mutating func advance() {
        done += 1
        draw(force: done == total)
    }

    /// Erases the line, before a report is printed or at the end.
    mutating func clear() {
        guard enabled, visible else { return }
        StandardStreams.writeError("\r\u{1B}[K")
        visible = false
    }

    /// Draws the line again after `clear()`.
    mutating func redraw() {
        draw(force: true)
    }

    private mutating func draw(force: Bool) {
        guard enabled else { return }
        let now = clock.now
        if !force, let lastDrawn, now - lastDrawn < Self.interval { return }
        lastDrawn = now
        StandardStreams.writeError("\r\u{1B}[K" + Self.text(done: done, total: total, elapsed: now - started))
        visible = true
    }

    /// The line's text, apart from the terminal's control sequences.
    static func text(done: Int, total: Int, elapsed: Duration) -> String {
        var text = "\(done)/\(total) done"
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard done > 0, seconds > 0 else { return text }
        let rate = Double(done) / seconds
        text += rate >= 10 ? ", \(Int(rate.rounded())) files/s" : ", \((rate * 10).rounded() / 10) files/s"
        if done < total { text += ", about \(duration(Double(total - done) / rate)) left" }
        return text
    }

    /// "9 s", "4 min 05 s", "2 h 10 min".
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60 < 10 ? "0" : "")\(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
