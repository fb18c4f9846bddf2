/// The `process_*` families in Prometheus text, from one `/proc` sample taken at scrape time.
///
/// Written here rather than kept in the registry: these are read, not counted, and the
/// registry's counters only move by increments, so `process_cpu_seconds_total` would have to be
/// rebuilt from floating-point deltas that drift from the value read.
enum ProcessMetricsText {
    static func render(_ sample: ProcessSample?) -> String {
        guard let sample else { return "" }
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ value: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", "\(sample.cpuSeconds)")
        family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", "\(sample.residentBytes)")
        family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", "\(sample.virtualBytes)")
        family("process_open_fds", "gauge", "Number of open file descriptors.", "\(sample.openFDs)")
        if let maxFDs = sample.maxFDs {
            family("process_max_fds", "gauge", "Maximum number of open file descriptors.", "\(maxFDs)")
        }
        family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", "\(sample.startTime)")
        return text
    }
}
