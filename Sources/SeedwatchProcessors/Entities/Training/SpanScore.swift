import FoundationEssentials

/// Exact-span precision, recall and F1, overall and per type, as conlleval and seqeval count them.
public struct SpanScore: Sendable {
    public struct Counts: Sendable, Equatable {
        public var truePositives = 0
        public var predicted = 0
        public var gold = 0

        public var precision: Double { predicted == 0 ? 0 : Double(truePositives) / Double(predicted) }
        public var recall: Double { gold == 0 ? 0 : Double(truePositives) / Double(gold) }
        public var f1: Double {
            let p = precision, r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
    }

    public private(set) var overall = Counts()
    public private(set) var byType: [String: Counts] = [:]

    public init() {}

    /// Adds one sentence, given as BIO tags.
    public mutating func add(gold: [String], predicted: [String]) {
        let goldSpans = Set(BIO.spans(gold))
        let predictedSpans = Set(BIO.spans(predicted))
        for span in goldSpans {
            overall.gold += 1
            byType[span.type, default: Counts()].gold += 1
        }
        for span in predictedSpans {
            overall.predicted += 1
            byType[span.type, default: Counts()].predicted += 1
            if goldSpans.contains(span) {
                overall.truePositives += 1
                byType[span.type, default: Counts()].truePositives += 1
            }
        }
    }

    /// A table for people: one line overall, one per type.
    public var report: String {
        func line(_ name: String, _ c: Counts) -> String {
            let p = (c.precision * 10000).rounded() / 100
            let r = (c.recall * 10000).rounded() / 100
            let f = (c.f1 * 10000).rounded() / 100
            return "\((name + String(repeating: " ", count: 10)).prefix(10)) P \(p)  R \(r)  F1 \(f)  (gold \(c.gold), predicted \(c.predicted), correct \(c.truePositives))"
        }
        var lines = [line("overall", overall)]
        for type in byType.keys.sorted() { lines.append(line(type, byType[type] ?? Counts())) }
        return lines.joined(separator: "\n")
    }
}
