/// Separates article lines from page furniture, keeping a record of every removal.
///
/// Three passes. First each line is matched against the pattern list and the general signals
/// (no text at all, mostly link text, a repeat of an earlier line). Then position: a
/// related-content heading in the second half of the document takes everything after it (the
/// unrelated headlines that follow "You may also like"); one- or two-word labels before the first
/// prose line are section labels; short fragments after the last prose line are tail fragments.
/// Prose lines are never removed by position, only by an explicit pattern.
public struct BoilerplateClassifier: Sendable {
    public init() {}

    /// The kept lines, in order, and the removed ones with reasons, in line order.
    public func classify(_ lines: [SourceLine]) -> (kept: [SourceLine], removed: [RemovedLine]) {
        let features = lines.map { LineFeatures($0.text) }
        var reasons = [BoilerplateReason?](repeating: nil, count: lines.count)
        var seen = Set<String>()
        for (i, line) in lines.enumerated() {
            let f = features[i]
            if !f.hasAlphanumeric {
                reasons[i] = .noText
            } else if let reason = BoilerplatePatterns.match(f) {
                reasons[i] = reason
            } else if line.linkDensity >= 0.6 && f.wordCount < 25 && !f.isProse {
                reasons[i] = .linkList
            } else if f.wordCount <= 40 && !seen.insert(f.lower).inserted {
                reasons[i] = .duplicate
            }
        }
        applyPosition(lines, features, &reasons)
        var kept: [SourceLine] = []
        var removed: [RemovedLine] = []
        var breakPending = false
        for (i, line) in lines.enumerated() {
            if let reason = reasons[i] {
                removed.append(RemovedLine(line: line.lineNumber, text: line.text, reason: reason))
                breakPending = true
            } else {
                var copy = line
                if breakPending { copy.startsBlock = true }
                kept.append(copy)
                breakPending = false
            }
        }
        return (kept, removed)
    }

    private func applyPosition(_ lines: [SourceLine], _ features: [LineFeatures], _ reasons: inout [BoilerplateReason?]) {
        let prose = features.indices.filter { reasons[$0] == nil && features[$0].isProse }
        let totalBytes = lines.reduce(0) { $0 + $1.text.utf8.count }
        // Related-content heading late in the document: the rest is other stories.
        var bytesBefore = 0
        for i in lines.indices {
            if reasons[i] == .relatedBlock && bytesBefore * 2 >= totalBytes {
                for k in (i + 1)..<lines.count where reasons[k] == nil { reasons[k] = .afterRelated }
                break
            }
            bytesBefore += lines[i].text.utf8.count
        }
        guard let firstProse = prose.first, let lastProse = prose.last(where: { reasons[$0] == nil }) else { return }
        for i in 0..<firstProse where reasons[i] == nil {
            let f = features[i]
            if f.wordCount <= 2 && f.stopWords == 0 && !f.endsWithTerminal { reasons[i] = .sectionLabel }
        }
        if lastProse + 1 < lines.count {
            for i in (lastProse + 1)..<lines.count where reasons[i] == nil {
                let f = features[i]
                if f.wordCount <= 4 && !f.endsWithTerminal { reasons[i] = .tailFragment }
            }
        }
    }
}
