import FoundationEssentials
import SeedwatchCore

extension Dashboard {
    /// What `seedwatch status` shows, and documents per minute over the last hour.
    func overviewPage(now: Date = Date()) throws -> ControlResponse {
        let status = status()
        var body = "<h1>Overview</h1>\n<p class=\"muted\">What <code>seedwatch status</code> shows. <span id=\"live-state\"></span></p>\n<div class=\"cards\">\n"
        let cards: [(String, String)] = [
            ("mode", "Mode"), ("processed", "Processed"), ("queue_depth", "Queued"), ("in_flight", "In flight"), ("duplicates", "Duplicates"),
            ("quarantined", "Quarantined"), ("unchanged", "Unchanged"), ("inotify_overflows", "Queue overflows"),
            ("processor_overruns", "Overrunning calls"), ("uptime_seconds", "Uptime (s)"),
        ]
        for (key, name) in cards {
            body += "<div class=\"card\"><div class=\"value\" data-status=\"\(key)\">\(HTML.escape(Self.text(status[key])))</div><div class=\"name\">\(name)</div></div>\n"
        }
        body += "</div>\n<h2>Last alert</h2>\n<p data-status=\"last_alert\">\(HTML.escape(Self.text(status["last_alert"])))</p>\n"
        body += "<h2>Documents per minute, last hour</h2>\n<div class=\"chart\">\(try perMinuteChart(now: now))</div>\n"
        body += "<h2>Daemon</h2>\n<dl class=\"facts\">\n"
        for (key, name) in [("watch", "Watch folder"), ("outbox", "Outbox"), ("started_at", "Started"), ("pid", "PID")] {
            body += "<dt>\(name)</dt><dd>\(HTML.escape(Self.text(status[key])))</dd>\n"
        }
        body += "</dl>\n<h2>Processors</h2>\n<table><thead><tr><th>Processor</th><th>Errors</th></tr></thead><tbody>\n"
        if case let .array(processors)? = status["processors"] {
            for processor in processors {
                body += "<tr><td>\(HTML.escape(Self.text(processor["name"])))</td><td class=\"number\">\(HTML.escape(Self.text(processor["errors"])))</td></tr>\n"
            }
        }
        body += "</tbody></table>\n"
        return HTML.page(title: "Overview", section: .overview, live: "overview", body: body)
    }

    /// Sixty bars, one per minute, the current minute on the right.
    func perMinuteChart(now: Date) throws -> String {
        let thisMinute = (now.timeIntervalSince1970 / 60).rounded(.down)
        let start = Date(timeIntervalSince1970: (thisMinute - 59) * 60)
        var counts = [Int](repeating: 0, count: 60)
        for count in try index.perMinute(since: start) {
            let slot = Int((count.minute.timeIntervalSince1970 / 60).rounded(.down) - (thisMinute - 59))
            if counts.indices.contains(slot) { counts[slot] += count.documents }
        }
        let highest = max(counts.max() ?? 0, 1)
        let (width, height, left, barArea) = (1100.0, 150.0, 50.0, 110.0)
        let step = (width - left - 10) / 60
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"per-minute-title\">"
        svg += "<title id=\"per-minute-title\">Documents per minute over the last hour: \(counts.reduce(0, +)) in all, at most \(counts.max() ?? 0) in a minute</title>"
        svg += "<text x=\"\(left - 6)\" y=\"18\" text-anchor=\"end\" class=\"axis\">\(highest)</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(barArea + 14)\" text-anchor=\"end\" class=\"axis\">0</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(barArea + 10)\" x2=\"\(width - 10)\" y2=\"\(barArea + 10)\" stroke=\"#d9d6cc\"/>"
        for (slot, count) in counts.enumerated() where count > 0 {
            let barHeight = ((Double(count) / Double(highest)) * (barArea - 4) * 10).rounded() / 10
            let x = ((left + Double(slot) * step + 1) * 10).rounded() / 10
            let minute = HTML.time(Date(timeIntervalSince1970: (thisMinute - 59 + Double(slot)) * 60)).suffix(8).prefix(5)
            svg += "<rect x=\"\(x)\" y=\"\(barArea + 10 - barHeight)\" width=\"\((step - 2 > 1 ? step - 2 : 1))\" height=\"\(barHeight)\" fill=\"#2f6f4e\">"
            svg += "<title>\(minute): \(count)</title></rect>"
        }
        for (slot, label) in [(0, "60 min ago"), (30, "30 min ago"), (59, "now")] {
            let anchor = slot == 0 ? "start" : slot == 59 ? "end" : "middle"
            let x = slot == 59 ? width - 10 : left + Double(slot) * step
            svg += "<text x=\"\(x)\" y=\"\(height - 6)\" text-anchor=\"\(anchor)\" class=\"axis\">\(label)</text>"
        }
        return svg + "</svg>"
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: "none"
        case let .string(text)?: text
        case let .integer(number)?: String(number)
        case let .number(number)?: String(number)
        case let .bool(flag)?: flag ? "yes" : "no"
        case let other?: String(decoding: other.encodedSorted(), as: UTF8.self)
        }
    }
}
