/// First-order Viterbi decoding over the tag scheme's legal transitions.
///
/// Illegal transitions (an `I-` after `O`, an entity left open at the end) are never produced,
/// so every output is a well-formed set of spans.
enum Viterbi {
    /// `emissions[i * tagCount + tag]`; `transitions[(prev) * tagCount + next]` with row `tagCount` the start.
    static func decode(emissions: [Float], length n: Int, scheme: TagScheme, transitions: [Float]) -> [Int] {
        let tagCount = scheme.count
        guard n > 0 else { return [] }
        let impossible = -Float.greatestFiniteMagnitude
        var score = [Float](repeating: impossible, count: n * tagCount)
        var back = [Int32](repeating: 0, count: n * tagCount)
        for tag in 0..<tagCount where scheme.allowed[tagCount * tagCount + tag] {
            score[tag] = emissions[tag] + transitions[tagCount * tagCount + tag]
        }
        if n > 1 {
            // Only the legal predecessors, in ascending order as before: the same path bit for bit.
            score.withUnsafeMutableBufferPointer { score in
                back.withUnsafeMutableBufferPointer { back in
                    scheme.previous.withUnsafeBufferPointer { previous in
                        for i in 1..<n {
                            let row = i &* tagCount
                            let prevRow = row &- tagCount
                            for next in 0..<tagCount {
                                var best = impossible
                                var bestPrev: Int32 = 0
                                for k in scheme.previousStart[next]..<scheme.previousStart[next + 1] {
                                    let prev = Int(previous[k])
                                    let s = score[prevRow &+ prev]
                                    if s == impossible { continue }
                                    let candidate = s + transitions[prev &* tagCount &+ next]
                                    if candidate > best {
                                        best = candidate
                                        bestPrev = Int32(prev)
                                    }
                                }
                                if best != impossible {
                                    score[row &+ next] = best + emissions[row &+ next]
                                    back[row &+ next] = bestPrev
                                }
                            }
                        }
                    }
                }
            }
        }
        var bestTag = 0
        var best = impossible
        let last = (n - 1) * tagCount
        for tag in 0..<tagCount where scheme.closes(tag) && score[last + tag] > best {
            best = score[last + tag]
            bestTag = tag
        }
        var path = [Int](repeating: 0, count: n)
        path[n - 1] = bestTag
        var i = n - 1
        while i > 0 {
            path[i - 1] = Int(back[i * tagCount + path[i]])
            i -= 1
        }
        return path
    }
}
