import SeedwatchText
import SeedwatchCore

/// Porter stems remembered across documents: news vocabulary repeats, and stemming was the
/// largest single cost of a summary.
///
/// Looked up and filled once per document (two lock acquisitions), bounded in size; a full cache
/// simply stops learning. Results are identical with or without it, so it does not affect
/// determinism.
enum StemCache {
    /// The most words a table of 16,384 slots holds (a `Dictionary` doubles past 3/4 full): ~0.5 MiB
    /// resident. 100,000 words took 4 MiB (2 MiB after the 2,225 BBC articles); the most frequent
    /// words come first, so a small table still answers most lookups (docs/BENCHMARKS.md, "Memory").
    static let capacity = 12_288
    private static let stems = Locked<[String: String]>([:])

    /// Stems for `words`, in order.
    static func stems(for words: [String]) -> [String] {
        var found = [String?](repeating: nil, count: words.count)
        stems.withLock { cache in
            for (i, word) in words.enumerated() { found[i] = cache[word] }
        }
        var learned: [(String, String)] = []
        let result = words.enumerated().map { i, word -> String in
            if let stem = found[i] { return stem }
            let stem = PorterStemmer.stem(word)
            learned.append((word, stem))
            return stem
        }
        if !learned.isEmpty {
            stems.withLock { cache in
                for (word, stem) in learned where cache.count < capacity { cache[word] = stem }
            }
        }
        return result
    }
}
