import FoundationEssentials
import SeedwatchCore

/// The timeline as SVG, drawn on the server: one lane per story (topic), labelled in its words,
/// each document a mark on its lane at the time its result was written; a `new_topic` alert
/// is a larger red mark, a `topic_shift` a dashed amber line across the lanes.
struct TimelineSVG {
    static let width = 1100.0
    static let labelWidth = 330.0
    static let laneHeight = 26.0
    static let top = 34.0
    static let bottom = 44.0
    /// Beyond this many stories, the least recent share one lane: the picture stays readable.
    static let maxLanes = 30

    struct Lane {
        var key: String
        var label: String
        var detail: String
    }

    let documents: [IndexedDocument]
    let labels: [String: String]

    /// `documents` oldest first; `labels` by topic id (the latest label of each story).
    init(documents: [IndexedDocument], labels: [String: String]) {
        self.documents = documents
        self.labels = labels
    }

    static let otherLane = "\u{1}other"
    static let noTopicLane = "\u{1}none"

    /// The lanes, the earliest story on top, and the lane of each topic.
    func lanes() -> (lanes: [Lane], laneOf: [String: Int]) {
        var lastSeen: [String: Date] = [:]
        var order: [String] = []
        for document in documents {
            let key = document.topic ?? Self.noTopicLane
            if lastSeen[key] == nil { order.append(key) }
            lastSeen[key] = document.time
        }
        var kept = Set(order)
        if order.count > Self.maxLanes {
            let recent = order.sorted { (lastSeen[$0] ?? .distantPast) > (lastSeen[$1] ?? .distantPast) }.prefix(Self.maxLanes - 1)
            kept = Set(recent)
        }
        var lanes: [Lane] = []
        var laneOf: [String: Int] = [:]
        for key in order where kept.contains(key) {
            laneOf[key] = lanes.count
            if key == Self.noTopicLane {
                lanes.append(Lane(key: key, label: "No topic", detail: "documents without a topics result"))
            } else {
                let label = labels[key] ?? ""
                lanes.append(Lane(key: key, label: label.isEmpty ? key : label, detail: "\(key): \(label)"))
            }
        }
        if kept.count < order.count {
            let other = lanes.count
            for key in order where !kept.contains(key) { laneOf[key] = other }
            lanes.append(Lane(key: Self.otherLane, label: "Other stories (\(order.count - kept.count))", detail: "the least recent stories, together"))
        }
        return (lanes, laneOf)
    }

    func render() -> String {
        let (lanes, laneOf) = lanes()
        let height = Self.top + Double(max(lanes.count, 1)) * Self.laneHeight + Self.bottom
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width) \(height)\" role=\"img\" aria-labelledby=\"timeline-title\">"
        svg += "<title id=\"timeline-title\">Stories over time: \(documents.count) documents in \(lanes.count) lanes</title>"
        guard let first = documents.first?.time, let last = documents.last?.time else {
            svg += "<text x=\"20\" y=\"\(Self.top + 10)\">No documents yet.</text></svg>"
            return svg
        }
        // A single instant gets a minute around it, so marks are not all on one edge.
        let start = last > first ? first : first.addingTimeInterval(-30)
        let end = last > first ? last : last.addingTimeInterval(30)
        let plotLeft = Self.labelWidth + 10
        let plotWidth = Self.width - plotLeft - 20
        func x(_ time: Date) -> Double {
            let fraction = time.timeIntervalSince(start) / end.timeIntervalSince(start)
            return ((plotLeft + fraction * plotWidth) * 10).rounded() / 10
        }
        let plotBottom = Self.top + Double(lanes.count) * Self.laneHeight
        for (number, lane) in lanes.enumerated() {
            let y = Self.top + Double(number) * Self.laneHeight
            if number.isMultiple(of: 2) {
                svg += "<rect x=\"0\" y=\"\(y)\" width=\"\(Self.width)\" height=\"\(Self.laneHeight)\" fill=\"#f4f1e8\"/>"
            }
            svg += "<text x=\"10\" y=\"\(y + 17)\" class=\"lane\"><title>\(HTML.escape(lane.detail))</title>\(HTML.escape(Self.shortened(lane.label, to: 48)))</text>"
        }
        svg += "<line x1=\"\(plotLeft)\" y1=\"\(Self.top)\" x2=\"\(plotLeft)\" y2=\"\(plotBottom)\" stroke=\"#d9d6cc\"/>"
        // Time axis: start, middle and end.
        for fraction in [0.0, 0.5, 1.0] {
            let time = start.addingTimeInterval(end.timeIntervalSince(start) * fraction)
            let anchor = fraction == 0 ? "start" : fraction == 1 ? "end" : "middle"
            svg += "<text x=\"\(x(time))\" y=\"\(plotBottom + 16)\" text-anchor=\"\(anchor)\" class=\"axis\">\(HTML.escape(HTML.time(time)))</text>"
        }
        // Shifts first, so the marks are drawn over their lines.
        for document in documents where document.alerts.contains("topic_shift") {
            let position = x(document.time)
            svg += "<line x1=\"\(position)\" y1=\"\(Self.top - 14)\" x2=\"\(position)\" y2=\"\(plotBottom)\" stroke=\"#b7791f\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" class=\"shift\"/>"
            svg += "<text x=\"\(position)\" y=\"\(Self.top - 18)\" text-anchor=\"middle\" class=\"axis\">topic shift</text>"
        }
        for document in documents {
            guard let lane = laneOf[document.topic ?? Self.noTopicLane] else { continue }
            let y = Self.top + Double(lane) * Self.laneHeight + Self.laneHeight / 2
            let isNew = document.alerts.contains("new_topic")
            let name = document.title ?? document.path
            var tip = "\(name) (\(HTML.time(document.time)))"
            if !document.alerts.isEmpty { tip += ": " + document.alerts.joined(separator: ", ") }
            let fill = isNew ? "#c0392b" : "#2f6f4e"
            let radius = isNew ? 7 : 5
            let stroke = document.alerts.contains("topic_shift") ? " stroke=\"#b7791f\" stroke-width=\"2\"" : " stroke=\"#ffffff\" stroke-width=\"1\""
            let kinds = (["mark"] + document.alerts).joined(separator: " ")
            svg += "<a href=\"\(HTML.documentLink(document.id))\" class=\"\(HTML.escape(kinds))\" data-id=\"\(HTML.escape(document.id))\">"
            svg += "<circle cx=\"\(x(document.time))\" cy=\"\(y)\" r=\"\(radius)\" fill=\"\(fill)\"\(stroke)><title>\(HTML.escape(tip))</title></circle></a>"
        }
        // Legend.
        let legendY = plotBottom + 34
        svg += "<circle cx=\"\(plotLeft + 6)\" cy=\"\(legendY - 4)\" r=\"5\" fill=\"#2f6f4e\"/><text x=\"\(plotLeft + 16)\" y=\"\(legendY)\" class=\"axis\">document</text>"
        svg += "<circle cx=\"\(plotLeft + 96)\" cy=\"\(legendY - 4)\" r=\"7\" fill=\"#c0392b\"/><text x=\"\(plotLeft + 108)\" y=\"\(legendY)\" class=\"axis\">new topic</text>"
        svg += "<line x1=\"\(plotLeft + 190)\" y1=\"\(legendY - 12)\" x2=\"\(plotLeft + 190)\" y2=\"\(legendY + 2)\" stroke=\"#b7791f\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>"
        svg += "<text x=\"\(plotLeft + 198)\" y=\"\(legendY)\" class=\"axis\">topic shift</text>"
        svg += "</svg>"
        return svg
    }

    static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
