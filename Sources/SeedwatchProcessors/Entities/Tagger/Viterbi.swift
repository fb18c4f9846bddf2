/// First-order Viterbi decoding over the tag scheme's legal transitions.
///
/// Illegal transitions (an `I-` after `O`, an entity left open at the end) are never produced,
/// so every output is a well-formed set of spans.
enum Viterbi {
    /// The score and back-pointer tables, kept from sentence to sentence so decoding allocates
    /// only when a sentence is longer than any before.
    struct Scratch {
        var score: [Float] = []
        var back: [Int32] = []
    }

    /// `emissions[i * tagCount + tag]`; `transitions[(prev) * tagCount + next]` with row `tagCount` the start.
    static func decode(emissions: [Float], length n: Int, scheme: TagScheme, transitions: [Float]) -> [Int] {
        var scratch = Scratch()
        var path: [Int] = []
        decode(emissions: emissions, length: n, scheme: scheme, transitions: transitions, scratch: &scratch, path: &path)
        return path
    }

    /// As `decode`, the best path written to `path` (replacing its contents).
    static func decode(
        emissions: [Float], length n: Int, scheme: TagScheme, transitions: [Float], scratch: inout Scratch, path: inout [Int]
    ) {
        path.removeAll(keepingCapacity: true)
        let tagCount = scheme.count
        guard n > 0 else { return }
        let impossible = -Float.greatestFiniteMagnitude
        let cells = n * tagCount
        // Moved out of `scratch` and back, so each stays uniquely referenced (no copies).
        var scores = scratch.score
        var backs = scratch.back
        scratch = Scratch()
        defer { scratch = Scratch(score: scores, back: backs) }
        if scores.count < cells {
            scores = [Float](repeating: 0, count: cells)
            backs = [Int32](repeating: 0, count: cells)
        }
        scores.withUnsafeMutableBufferPointer { score in
            backs.withUnsafeMutableBufferPointer { back in
                for cell in 0..<cells {
                    score[cell] = impossible
                    back[cell] = 0
                }
                for tag in 0..<tagCount where scheme.allowed[tagCount * tagCount + tag] {
                    score[tag] = emissions[tag] + transitions[tagCount * tagCount + tag]
                }
                guard n > 1 else { return }
                // Only the legal predecessors, in ascending order as before: the same path bit for bit.
                emissions.withUnsafeBufferPointer { emissions in
                    transitions.withUnsafeBufferPointer { transitions in
                        scheme.previous.withUnsafeBufferPointer { previous in
                            scheme.previousStart.withUnsafeBufferPointer { previousStart in
                                for i in 1..<n {
                                    let row = i &* tagCount
                                    let prevRow = row &- tagCount
                                    for next in 0..<tagCount {
                                        var best = impossible
                                        var bestPrev: Int32 = 0
                                        for k in previousStart[next]..<previousStart[next &+ 1] {
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
            }
        }
        var bestTag = 0
        var best = impossible
        let last = (n - 1) * tagCount
        for tag in 0..<tagCount where scheme.closes(tag) && scores[last + tag] > best {
            best = scores[last + tag]
            bestTag = tag
        }
        path.append(contentsOf: repeatElement(0, count: n))
        path[n - 1] = bestTag
        var i = n - 1
        while i > 0 {
            path[i - 1] = Int(backs[i * tagCount + path[i]])
            i -= 1
        }
    }
}
