import FoundationEssentials
import Glibc
import SeedwatchText

/// Extractive summarisation: graph centrality, sentence length, position, similarity to the
/// title, and redundancy. The title itself is never chosen.
///
/// Centrality blends two views, each scaled to mean 1: TextRank's PageRank over a graph whose
/// edges weigh shared stemmed content words by `overlap / (log|a| + log|b|)`, and frequency
/// centrality, the sentence's overlap with the whole document (its degree in the unnormalised
/// graph, one pass). The graph holds at most `graphLimit` sentences; sentences past that get a
/// degree estimate, so cost stays linear. The score then takes optional length and lead-position
/// factors, and selection skips near-duplicates of chosen sentences. The blend (0.8 graph, 0.2
/// frequency with exponent 0.25) was chosen on the BBC dev split; see docs/SUMMARY.md.
/// Deterministic: ties go to the earlier sentence.
public struct Summarizer: Sendable {
    public var parameters: SummaryParameters

    public init(parameters: SummaryParameters = SummaryParameters()) {
        self.parameters = parameters
    }

    /// A scored sentence: its index in `AnalyzedText.sentences` and its score.
    public struct Pick: Sendable, Equatable {
        public var index: Int
        public var score: Double
    }

    /// Scores every sentence (index order), one value each.
    func scores(_ t: SentenceTerms) -> [Double] {
        let n = t.terms.count
        guard n > 0 else { return [] }
        let frequency = Self.frequencyCentrality(t, exponent: parameters.frequencyExponent)
        let graph = parameters.graphWeight > 0
            ? Self.pageRank(t, limit: parameters.graphLimit, damping: parameters.damping)
            : [Double](repeating: 0, count: n)
        let g = parameters.graphWeight
        let centrality = (0..<n).map { (1 - g) * frequency[$0] + g * graph[$0] }
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let content = Double(t.terms[i].count)
            let length = parameters.lengthExponent == 0 ? 1 : pow(max(1, content), parameters.lengthExponent)
            let position = 1 + parameters.positionWeight / Double(i + 1)
            // The title as a query: sentences close to the headline tell its story.
            let query = parameters.titleWeight > 0 ? 1 + parameters.titleWeight * Self.cosine(t.terms[i], t.titleBag) : 1
            out[i] = t.title.contains(i) ? 0 : centrality[i] * length * position * query
        }
        return out
    }

    /// The `count` best sentences in document order.
    public func summarize(_ analysis: AnalyzedText, count: Int) -> [Pick] {
        let terms = self.terms(analysis)
        return select(terms, scores: scores(terms), count: count)
    }

    /// The sentences' term bags as these parameters want them.
    func terms(_ analysis: AnalyzedText) -> SentenceTerms {
        SentenceTerms(analysis, tokenLimit: parameters.tokenLimit, includeNumbers: parameters.includeNumbers,
                      titleCounts: parameters.titleInGraph)
    }

    /// The best `count` sentences, never the title's.
    func select(_ t: SentenceTerms, scores: [Double], count: Int) -> [Pick] {
        let n = scores.count - t.title.clamped(to: scores.indices).count
        guard count > 0, n > 0 else { return [] }
        let order = scores.indices.filter { !t.title.contains($0) }.sorted {
            scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1
        }
        var chosen: [Int] = []
        var passes = [true, false]  // first without short sentences, then with them
        if parameters.minWords <= 0 { passes = [false] }
        for strict in passes where chosen.count < count {
            for i in order where chosen.count < count && !chosen.contains(i) {
                if strict && t.wordCounts[i] < parameters.minWords { continue }
                if parameters.redundancy < 1, chosen.contains(where: { Self.cosine(t.terms[i], t.terms[$0]) > parameters.redundancy }) {
                    continue
                }
                chosen.append(i)
            }
        }
        for i in order where chosen.count < min(count, n) && !chosen.contains(i) { chosen.append(i) }
        return chosen.sorted().map { Pick(index: $0, score: scores[$0]) }
    }

    /// Each sentence's overlap with the whole document: the summed document counts of its
    /// content words over its content-word count to `exponent`, scaled to mean 1. This is the
    /// sentence's degree in the unnormalised word-overlap graph, computed in one pass.
    static func frequencyCentrality(_ t: SentenceTerms, exponent: Double) -> [Double] {
        let raw = t.terms.map { bag -> Double in
            guard !bag.isEmpty else { return 0 }
            let sum = bag.reduce(0.0) { $0 + Double(t.termFrequency[Int($1)]) }
            return sum / pow(Double(bag.count), exponent)
        }
        let mean = raw.reduce(0, +) / Double(max(1, raw.count))
        return mean > 0 ? raw.map { $0 / mean } : raw
    }

    static func cosine(_ a: [Int32], _ b: [Int32]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        return Double(SentenceTerms.overlap(a, b)) / (Double(a.count) * Double(b.count)).squareRoot()
    }

    /// PageRank over the capped similarity graph, then degree estimates past the cap, scaled so a
    /// sentence of average centrality scores 1.
    static func pageRank(_ t: SentenceTerms, limit: Int, damping: Double) -> [Double] {
        let n = t.terms.count
        let g = min(n, max(1, limit))
        var weights = [Double](repeating: 0, count: g * g)
        var rowSums = [Double](repeating: 0, count: g)
        let logs = t.terms.map { $0.count > 0 ? log(Double($0.count)) : 0 }
        for i in 0..<g {
            for j in (i + 1)..<max(i + 1, g) {
                let norm = logs[i] + logs[j]
                guard norm > 0 else { continue }
                let shared = SentenceTerms.overlap(t.terms[i], t.terms[j])
                guard shared > 0 else { continue }
                let w = Double(shared) / norm
                weights[i * g + j] = w
                weights[j * g + i] = w
                rowSums[i] += w
                rowSums[j] += w
            }
        }
        // Column-stochastic transitions, made once: transition[i * g + j] = w(j→i) / Σ_k w(j→k).
        var transition = [Double](repeating: 0, count: g * g)
        for j in 0..<g where rowSums[j] > 0 {
            for i in 0..<g { transition[i * g + j] = weights[j * g + i] / rowSums[j] }
        }
        var rank = [Double](repeating: 1 / Double(g), count: g)
        var next = rank
        let base = (1 - damping) / Double(g)
        for _ in 0..<50 {
            var delta = 0.0
            transition.withUnsafeBufferPointer { t in
                rank.withUnsafeBufferPointer { r in
                    for i in 0..<g {
                        var sum = 0.0
                        let row = i * g
                        for j in 0..<g { sum += t[row + j] * r[j] }
                        next[i] = base + damping * sum
                        delta += abs(next[i] - r[i])
                    }
                }
            }
            swap(&rank, &next)
            if delta < 1e-6 { break }  // summed over the graph; ranks sum to 1
        }
        var out = rank.map { $0 * Double(g) }
        guard n > g else { return out }
        // Past the cap: weighted degree against the whole document, on the same scale.
        var degrees: [Double] = []
        let meanLog = logs.reduce(0, +) / Double(n)
        for i in 0..<n {
            var shared = 0.0
            var previous: Int32 = -1
            for id in t.terms[i] where id != previous {
                shared += Double(t.sentenceFrequency[Int(id)] - 1)
                previous = id
            }
            let norm = logs[i] + meanLog
            degrees.append(norm > 0 ? shared / norm : 0)
        }
        let graphMean = degrees.prefix(g).reduce(0, +) / Double(g)
        for i in g..<n { out.append(graphMean > 0 ? degrees[i] / graphMean : 0) }
        return out
    }
}
