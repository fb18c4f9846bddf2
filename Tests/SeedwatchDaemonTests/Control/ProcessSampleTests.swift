import Foundation
import Testing
@testable import SeedwatchDaemon

/// The `/proc` figures behind the `process_*` metrics.
@Suite("process sample")
struct ProcessSampleTests {
    @Test("stat fields start after the last parenthesis: a command name may hold spaces and parentheses")
    func statFields() throws {
        let fields = try #require(ProcessSample.statFields("4242 (evil) (name) 9) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75\n"))
        #expect(fields.first == "S")
        // proc(5) numbers pid as field 1, so utime (14) and stime (15) are at 14 - 3 and 15 - 3.
        #expect(fields[14 - 3] == "250")
        #expect(fields[15 - 3] == "75")
        #expect(ProcessSample.statFields("no parenthesis") == nil)
        #expect(ProcessSample.bootTime("cpu  1 2 3\nbtime 1796600000\nprocesses 9\n") == 1_796_600_000)
        #expect(ProcessSample.bootTime("cpu 1 2 3\n") == nil)
    }

    @Test("this test process, sampled: plausible figures, rendered with HELP and TYPE for each family")
    func sampleOfThisProcess() throws {
        let sample = try #require(ProcessSample.current())
        #expect(sample.cpuSeconds > 0)
        #expect(sample.residentBytes > 1_000_000)
        #expect(sample.virtualBytes >= sample.residentBytes)
        #expect(sample.openFDs >= 3)
        let now = Date().timeIntervalSince1970
        #expect(sample.startTime <= now + 1 && sample.startTime > now - 86_400, "\(sample.startTime)")
        let text = ProcessMetricsText.render(sample)
        for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"] {
            #expect(text.contains("# HELP \(name) "))
            #expect(text.contains("# TYPE \(name) "))
            #expect(text.contains("\n\(name) "))
        }
        #expect(ProcessMetricsText.render(nil).isEmpty)
    }
}
