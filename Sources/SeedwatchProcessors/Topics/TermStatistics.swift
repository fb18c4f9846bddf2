import FoundationEssentials
import Glibc

/// Term ids, document frequencies (shipped background plus online counts) and label words.
///
/// Terms are interned to dense `Int32` ids so centroids and postings hash integers, not strings;
/// ids are local to a process, so persisted state always names terms by their string.
struct TermStatistics: Sendable {
    private var ids = TermIndex()
    private(set) var terms: [String] = []
    /// A word per term for labels when its story has no counted form (theme labels, state written
    /// before stories counted forms): the first form seen in a document, lower-cased, never the stem
    /// ("sharaa's" → "sharaa", not "sharaas"). Empty for a term known only from the background model.
    private(set) var surfaces: [String] = []
    private var background: [Float] = []
    private(set) var online: [Float] = []
    private var shards: [UInt8] = []
    let backgroundDocuments: Double
    private(set) var onlineDocuments: Double = 0
    /// Shards holding a term whose online count changed since the last full write of the counts,
    /// one bit per shard (a set of 64 without hashing).
    private var dirtyShardBits: UInt64 = 0
    /// Terms whose online count changed since the last checkpoint (written as a delta of counts):
    /// a flag per term and the flagged ids, so marking one costs no hashing.
    private var dirtyTermFlags: [Bool] = []
    private var dirtyTermList: [Int32] = []
    static let shardCount = 64

    init(background model: BackgroundModel) {
        backgroundDocuments = Double(model.documents)
        for (word, df) in model.frequencies {
            guard let stem = TopicTokenizer.term(word) else { continue }
            let id = intern(stem, surface: "")
            background[Int(id)] = max(background[Int(id)], Float(df))
        }
    }

    var documents: Double { backgroundDocuments + onlineDocuments }

    /// Smoothed inverse document frequency: unseen terms get the highest weight. The small floor
    /// keeps terms seen in every document so far (the first document of a stream with no
    /// background model) from vanishing altogether.
    func idf(_ id: Int32) -> Float {
        let df = Double(background[Int(id)] + online[Int(id)])
        return Float(max(0.05, log((documents + 1) / (df + 1))))
    }

    /// The term's id, interning it; the surface is kept when the term has none yet (new, or known
    /// only from the background model), so it is the first form a document used.
    mutating func intern(_ term: String, surface: @autoclosure () -> String) -> Int32 {
        intern(term, hash: term.hashValue, surface: surface())
    }

    /// The same with `term.hashValue` already taken (outside the arrival-order turn).
    mutating func intern(_ term: String, hash: Int, surface: @autoclosure () -> String) -> Int32 {
        if let id = ids.id(of: term, hash: hash, in: terms) {
            if surfaces[Int(id)].isEmpty { surfaces[Int(id)] = surface() }
            return id
        }
        let id = Int32(terms.count)
        terms.append(term)
        ids.insert(id, hash: hash, in: terms)
        surfaces.append(surface())
        background.append(0)
        online.append(0)
        shards.append(UInt8(Self.shard(of: term)))
        dirtyTermFlags.append(false)
        return id
    }

    /// A document's (distinct) terms interned: the ids `intern` gives them one by one, in order.
    /// All are looked up before any is added, so the look-ups' cache misses overlap (`TermIndex.ids`);
    /// new terms are then added in the order they occur, as one by one.
    mutating func intern(_ batch: [PreparedTopicDocument.Term]) -> [Int32] {
        var found = ids.ids(of: batch, in: terms)
        for (index, term) in batch.enumerated() {
            let id = found[index]
            if id >= 0 {
                if surfaces[Int(id)].isEmpty { surfaces[Int(id)] = term.surface }
            } else {
                found[index] = intern(term.term, hash: term.hash, surface: term.surface)
            }
        }
        return found
    }

    func id(of term: String) -> Int32? { ids.id(of: term, in: terms) }

    /// Counts one document containing these (distinct) terms.
    mutating func observe(distinct ids: some Sequence<Int32>) {
        onlineDocuments += 1
        for id in ids {
            let index = Int(id)
            online[index] += 1
            dirtyShardBits |= 1 << UInt64(shards[index])
            if !dirtyTermFlags[index] {
                dirtyTermFlags[index] = true
                dirtyTermList.append(id)
            }
        }
    }

    /// Shards holding a term whose online count changed since the last full write of the counts.
    var dirtyShards: Set<Int> {
        Set((0..<Self.shardCount).filter { dirtyShardBits & (1 << UInt64($0)) != 0 })
    }

    /// Terms whose online count changed since the last checkpoint.
    var dirtyTerms: Set<Int32> { Set(dirtyTermList) }

    /// Stable shard of a term (FNV-1a; `hashValue` is seeded per process and would move terms).
    static func shard(of term: String) -> Int {
        Int(FNV1a.hash(term.utf8) % UInt64(shardCount))
    }

    /// A persisted online count: the term with its id and surface form, so a restart interns
    /// every term under the id it had (ids order ties and sums in the tracker, so other ids would
    /// make a restarted daemon decide differently from one that kept running). `id` and `surface`
    /// are nil in counts written before they were kept.
    struct StoredCount: Sendable, Equatable {
        var term: String
        var count: Float
        var id: Int32?
        var surface: String?
    }

    /// The online counts of the given shards, for persisting: one pass over the vocabulary.
    func onlineCounts(shards wanted: Set<Int>) -> [Int: [StoredCount]] {
        var out: [Int: [StoredCount]] = [:]
        for shard in wanted { out[shard] = [] }
        for (index, count) in online.enumerated() where count > 0 {
            let shard = Int(shards[index])
            if wanted.contains(shard) {
                out[shard, default: []].append(StoredCount(term: terms[index], count: count, id: Int32(index), surface: surfaces[index]))
            }
        }
        return out
    }

    /// The online counts of the given terms, in id order: what changed since the last checkpoint.
    func onlineCounts(terms wanted: Set<Int32>) -> [StoredCount] {
        wanted.sorted().map { StoredCount(term: terms[Int($0)], count: online[Int($0)], id: $0, surface: surfaces[Int($0)]) }
    }

    mutating func clearDirty() {
        dirtyShardBits = 0
        clearDirtyTerms()
    }

    mutating func clearDirtyTerms() {
        for id in dirtyTermList { dirtyTermFlags[Int(id)] = false }
        dirtyTermList.removeAll(keepingCapacity: true)
    }

    /// Restores persisted online counts: those with ids first, in id order, each under its id (a
    /// term missing from the store, interned after the last checkpoint before a crash, leaves a
    /// placeholder no word can match), then any without.
    mutating func restore(onlineDocuments: Double, counts: [StoredCount]) {
        self.onlineDocuments = onlineDocuments
        let numbered = counts.indices.filter { counts[$0].id != nil }.sorted { (counts[$0].id ?? 0) < (counts[$1].id ?? 0) }
        var placed = [Bool](repeating: false, count: counts.count)
        for index in numbered {
            let stored = counts[index]
            // An id already taken by another term (a background model changed since) cannot be
            // kept: that term is placed after the others. So is one past a gap wider than the
            // whole store (a damaged value), which would otherwise fill memory with placeholders.
            guard let id = stored.id, Int(id) >= terms.count || terms[Int(id)] == stored.term,
                  self.id(of: stored.term).map({ $0 == id }) ?? true, Int(id) - terms.count <= counts.count
            else { continue }
            while Int(id) > terms.count { _ = intern("\u{0}unused \(terms.count)", surface: "") }
            online[Int(intern(stored.term, surface: stored.surface ?? stored.term))] = stored.count
            placed[index] = true
        }
        for (index, stored) in counts.enumerated() where !placed[index] {
            online[Int(intern(stored.term, surface: stored.surface ?? stored.term))] = stored.count
        }
    }

    func surface(_ id: Int32) -> String { surfaces[Int(id)] }
    func term(_ id: Int32) -> String { terms[Int(id)] }
}

/// 64-bit FNV-1a: a stable hash for persisted shards and fingerprints.
enum FNV1a {
    static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}

/// The shipped background document frequencies: lower-cased words and how many documents of a
/// reference corpus contain them (see Benchmarks/topics/build_idf.py).
public struct BackgroundModel: Sendable {
    public var documents: Int
    public var frequencies: [(String, Int)]

    public init(documents: Int, frequencies: [(String, Int)]) {
        self.documents = documents
        self.frequencies = frequencies
    }

    public static let resourceName = "topics_background_df.tsv"

    /// An empty model: IDF then learns from the stream alone.
    public static let empty = BackgroundModel(documents: 0, frequencies: [])

    /// Loads the shipped model through `ResourceLocator`.
    public static func shipped() throws -> BackgroundModel {
        try parse(String(decoding: ResourceLocator.data(for: resourceName), as: UTF8.self))
    }

    /// `#documents<TAB>N`, then `word<TAB>df` lines.
    public static func parse(_ text: String) throws -> BackgroundModel {
        var documents = 0
        var frequencies: [(String, Int)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let count = Int(fields[1]) else {
                throw TopicsError.badModel(line: String(line.prefix(80)))
            }
            if fields[0] == "#documents" {
                documents = count
            } else {
                frequencies.append((String(fields[0]), count))
            }
        }
        return BackgroundModel(documents: documents, frequencies: frequencies)
    }
}

/// Why the topics processor could not start or persist.
public enum TopicsError: Error, Sendable, CustomStringConvertible {
    case badModel(line: String)
    case corruptState(key: String, reason: String)

    public var description: String {
        switch self {
        case let .badModel(line): "topics background model: malformed line '\(line)'"
        case let .corruptState(key, reason): "topics state '\(key)' cannot be read: \(reason); remove it to start afresh"
        }
    }
}
