import SeedwatchCore
import SeedwatchDaemon
import Testing
@testable import SeedwatchCommandLine

@Suite("status text")
struct StatusTextTests {
    private func status(overruns: Int) -> [String: JSONValue] {
        ["mode": .string("processing"), "pid": .integer(42), "processed": .integer(7), "processor_overruns": .integer(overruns),
         "processors": .array([.object(["name": .string("summary"), "errors": .integer(1)])])]
    }

    @Test("overruns get a line of their own only when there are some")
    func overrunLine() {
        let quiet = StatusText.render(status(overruns: 0), socket: "/run/seedwatch/control.sock")
        #expect(!quiet.contains("Overruns"))
        #expect(quiet.contains("Processors: summary (1 errors)"))
        let stuck = StatusText.render(status(overruns: 2), socket: "/run/seedwatch/control.sock")
        #expect(stuck.contains("Overruns: 2 processor calls still running past their time limit"))
    }

    @Test("the STATUS= line names overruns only when there are some")
    func statusLine() {
        let stats = DaemonStats()
        stats.update { $0.processed = 3 }
        #expect(stats.statusLine(mode: "watching") == "watching: queue 0, in flight 0, processed 3, duplicates 0, quarantined 0")
        stats.update { $0.processorOverruns = 2 }
        #expect(stats.statusLine(mode: "watching").hasSuffix("quarantined 0, 2 processor calls past their time limit"))
    }
}
