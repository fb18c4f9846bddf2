import Testing
@testable import SeedwatchProcessors

/// The tracker's output must not depend on dictionary iteration order. Swift seeds hashing per
/// process (and per dictionary storage), so a float sum taken in dictionary order rounds
/// differently from run to run; this showed as similarities differing in the 4th decimal between
/// two runs of one binary on one input.
///
/// These tests lay the same content out in differently built dictionaries inside one process. The
/// cross-process check (run the binary several times, each with its own hash seed, and compare) is
/// `sh Benchmarks/topics/check_determinism.sh` (see docs/TOPICS.md).
@Suite("Topic determinism")
struct TopicDeterminismTests {
    /// The same weights, inserted in opposite orders into dictionaries of very different capacity,
    /// so that the two iterate in different orders.
    static func twoLayouts(_ weights: [(Int32, Float)]) -> ([Int32: Float], [Int32: Float]) {
        var a: [Int32: Float] = [:]
        for (id, w) in weights { a[id] = w }
        var b = [Int32: Float](minimumCapacity: 16 * weights.count)
        for (id, w) in weights.reversed() { b[id] = w }
        return (a, b)
    }

    /// Weights of many magnitudes: sums of these round differently in different orders.
    static let weights: [(Int32, Float)] = (0..<400).map { (i: Int) -> (Int32, Float) in
        let scale: Float = i % 5 == 0 ? 0.001 : 1
        let value = Float(1 + (i * 37) % 101) / Float(3 + i % 13)
        return (Int32(i * 7 + 3), value * scale)
    }

    @Test func centroidSumsDoNotDependOnDictionaryLayout() throws {
        let (a, b) = Self.twoLayouts(Self.weights)
        try #require(Array(a.keys) != Array(b.keys), "the two layouts should iterate in different orders")
        let x = Centroid(limit: 1_000, weights: a)
        let y = Centroid(limit: 1_000, weights: b)
        #expect(x.norm.bitPattern == y.norm.bitPattern)

        let shifted = Self.weights.enumerated().map { (i: Int, entry: (Int32, Float)) -> (Int32, Float) in
            (entry.0 + Int32(i % 3), entry.1 * 1.7)
        }
        let (c, d) = Self.twoLayouts(shifted)
        let other = Centroid(limit: 1_000, weights: c)
        let otherRelaid = Centroid(limit: 1_000, weights: d)
        let similarity = x.cosine(other)
        #expect(y.cosine(otherRelaid).bitPattern == similarity.bitPattern)
        #expect(y.cosine(other).bitPattern == similarity.bitPattern)
        #expect(x.cosine(otherRelaid).bitPattern == similarity.bitPattern)
    }

    /// Two engines fed the same stream; halfway through, the second engine's themes (their table
    /// and every centroid) are rebuilt in other dictionary layouts. Every result and the whole theme
    /// state (centroid norms and moving averages, compared bit for bit) must stay equal.
    @Test func trackerDoesNotDependOnDictionaryLayout() throws {
        let background = try TopicFixtures.background()
        var stream: [TopicObservation] = []
        var generator = SyntheticStream(seed: 7)
        for index in 0..<120 {
            // Synthetic stories with fixture blocks of two vocabularies in between, so themes open,
            // shift and merge as well.
            let block = index / 20 % 2 == 0 ? TopicFixtures.sportBlock : TopicFixtures.marketsBlock
            if index % 20 < 6 {
                stream.append(TopicObservation(id: "b\(index)", text: block[index % 20]))
            } else {
                stream.append(generator.next())
            }
        }
        var first = TopicEngine(configuration: TopicTrackerConfiguration(), background: background)
        var second = TopicEngine(configuration: TopicTrackerConfiguration(), background: background)
        for (index, observation) in stream.enumerated() {
            if index == stream.count / 2 {
                var relaid = [Int: Theme](minimumCapacity: 256)
                for (id, theme) in second.themes.sorted(by: { $0.key > $1.key }) {
                    var copy = theme
                    let (_, layout) = Self.twoLayouts(theme.centroid.weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
                    copy.centroid = Centroid(limit: theme.centroid.limit, weights: layout)
                    relaid[id] = copy
                }
                second.themes = relaid
            }
            let (a, _) = first.observe(observation)
            let (b, _) = second.observe(observation)
            #expect(a == b, "document \(index)")
        }
        try #require(first.themes.count > 1)
        #expect(first.themes.keys.sorted() == second.themes.keys.sorted())
        for (id, theme) in first.themes {
            let other = try #require(second.themes[id])
            #expect(theme.centroid.norm.bitPattern == other.centroid.norm.bitPattern, "theme \(id)")
            #expect(theme.meanSimilarity.bitPattern == other.meanSimilarity.bitPattern, "theme \(id)")
            #expect(theme.centroid.weights == other.centroid.weights, "theme \(id)")
        }
        for (id, story) in first.stories.stories {
            let other = try #require(second.stories.stories[id])
            #expect(story.centroid.norm.bitPattern == other.centroid.norm.bitPattern, "story \(id)")
        }
        #expect(first.window == second.window)
    }
}
