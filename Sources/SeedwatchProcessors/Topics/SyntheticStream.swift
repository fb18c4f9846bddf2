import FoundationEssentials
import Glibc

/// A deterministic generated news stream for throughput benchmarks: no corpus text involved.
///
/// Words are made-up syllable strings; each story has its own words mixed into a shared Zipf-like
/// background vocabulary, and new stories keep arriving, so the tracker clusters, opens stories
/// and forgets old ones just as on a real stream.
public struct SyntheticStream: Sendable {
    private var state: UInt64
    private var stories: [[String]] = []
    private var produced = 0
    private let vocabulary: [String]

    public init(seed: UInt64) {
        state = seed
        var words: [String] = []
        let syllables = ["ka", "lo", "mi", "ter", "san", "vo", "ru", "pel", "dor", "ine", "ast", "qu", "bri", "zen", "fo", "gal"]
        for i in 0..<20_000 {
            var word = ""
            var n = i
            repeat {
                word += syllables[n % syllables.count]
                n /= syllables.count
            } while n > 0
            words.append(word + "x")
        }
        vocabulary = words
    }

    private mutating func random() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func uniform(_ bound: Int) -> Int { Int(random() % UInt64(max(1, bound))) }

    /// Zipf-like draw: small indices far more often.
    private mutating func zipf(_ bound: Int) -> Int {
        let u = Double(random() >> 11) / Double(1 << 53)
        return min(bound - 1, Int(pow(Double(bound) + 1, u)) - 1)
    }

    public mutating func next() -> TopicObservation {
        produced += 1
        if stories.isEmpty || uniform(20) == 0 {
            var words: [String] = []
            for _ in 0..<25 { words.append(vocabulary[uniform(vocabulary.count)]) }
            stories.append(words)
            if stories.count > 200 { stories.removeFirst() }
        }
        // Recent stories are reported more often than old ones.
        let story = stories[stories.count - 1 - zipf(stories.count)]
        var text = ""
        for i in 0..<8 { text += story[uniform(story.count)] + (i == 7 ? "\n" : " ") }
        for i in 0..<180 {
            let word = uniform(3) == 0 ? story[uniform(story.count)] : vocabulary[zipf(vocabulary.count)]
            text += word + (i % 20 == 19 ? ".\n" : " ")
        }
        return TopicObservation(id: "synthetic-\(produced)", path: "synthetic", text: text)
    }
}
