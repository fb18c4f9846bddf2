/// The tag set of the tagger: BILOU over the entity types, with the legal transitions.
///
/// BILOU (begin, inside, last, unit) lets the model learn how entities end, which scores better
/// than BIO on CoNLL; spans are converted to and from the BIO tags of the corpora at the edges.
struct TagScheme: Sendable, Equatable {
    /// Tag names; index 0 is `O`.
    let tags: [String]
    let types: [String]
    /// `allowed[prev * count + next]`; row `count` is the sentence start.
    let allowed: [Bool]
    /// The tags that may precede each tag (not the start), ascending: `previous[previousStart[next]..<previousStart[next + 1]]`.
    /// Viterbi looks at these only (about a third of all pairs under BILOU).
    let previous: [Int32]
    let previousStart: [Int]
    /// `closing[tag]`: whether a sentence may end on `tag` (not a `B-` or `I-`).
    private let closing: [Bool]

    var count: Int { tags.count }

    init(types: [String]) {
        self.types = types
        var tags = ["O"]
        for type in types {
            for prefix in ["B", "I", "L", "U"] { tags.append("\(prefix)-\(type)") }
        }
        self.tags = tags
        let n = tags.count
        var allowed = [Bool](repeating: false, count: (n + 1) * n)
        for prev in 0...n {
            for next in 0..<n {
                allowed[prev * n + next] = Self.legal(prev: prev == n ? nil : tags[prev], next: tags[next])
            }
        }
        self.allowed = allowed
        var previous: [Int32] = []
        var previousStart = [0]
        for next in 0..<n {
            for prev in 0..<n where allowed[prev * n + next] { previous.append(Int32(prev)) }
            previousStart.append(previous.count)
        }
        self.previous = previous
        self.previousStart = previousStart
        closing = tags.map { !($0.hasPrefix("B-") || $0.hasPrefix("I-")) }
    }

    /// Whether `next` may follow `prev` (nil: sentence start); the last tag must also be closed,
    /// which `closes` checks.
    private static func legal(prev: String?, next: String) -> Bool {
        let open = prev.map { $0.hasPrefix("B-") || $0.hasPrefix("I-") } ?? false
        if open, let prev {
            // An open entity continues with I or L of the same type.
            let type = prev.dropFirst(2)
            return next == "I-\(type)" || next == "L-\(type)"
        }
        return next == "O" || next.hasPrefix("B-") || next.hasPrefix("U-")
    }

    /// Whether a sentence may end on this tag.
    func closes(_ tag: Int) -> Bool { closing[tag] }

    func index(of tag: String) -> Int? { tags.firstIndex(of: tag) }

    /// Converts spans to tag indices; spans are half-open token ranges with a type.
    func encode(_ spans: [TypedSpan], length: Int) -> [Int] {
        var out = [Int](repeating: 0, count: length)
        for span in spans {
            guard let t = types.firstIndex(of: span.type), span.start < span.end, span.end <= length else { continue }
            let base = 1 + t * 4
            if span.end - span.start == 1 {
                out[span.start] = base + 3
            } else {
                out[span.start] = base
                for i in (span.start + 1)..<(span.end - 1) { out[i] = base + 1 }
                out[span.end - 1] = base + 2
            }
        }
        return out
    }

    /// Converts tag indices to spans.
    func decode(_ tagIndices: [Int]) -> [TypedSpan] {
        var spans: [TypedSpan] = []
        var start: Int?
        for (i, tag) in tagIndices.enumerated() where tag > 0 && tag < count {
            let t = (tag - 1) / 4
            let kind = (tag - 1) % 4
            switch kind {
            case 0: start = i
            case 1: if start == nil { start = i }
            case 2:
                spans.append(TypedSpan(start: start ?? i, end: i + 1, type: types[t]))
                start = nil
            default:
                spans.append(TypedSpan(start: i, end: i + 1, type: types[t]))
                start = nil
            }
        }
        return spans
    }
}

/// A typed half-open token range.
struct TypedSpan: Sendable, Hashable {
    var start: Int
    var end: Int
    var type: String
}

/// IOB1/IOB2 tag strings to spans, with conlleval's rules (an `I-` after `O` or another type opens an entity).
enum BIO {
    static func spans(_ tags: [String]) -> [TypedSpan] {
        var out: [TypedSpan] = []
        var start: Int?
        var type: String?
        for (i, tag) in (tags + ["O"]).enumerated() {
            let (prefix, tagType) = split(tag)
            if let s = start, prefix == "O" || prefix == "B" || tagType != type {
                out.append(TypedSpan(start: s, end: i, type: type ?? ""))
                start = nil
            }
            if (prefix == "B" || prefix == "I"), start == nil {
                start = i
                type = tagType
            }
        }
        return out
    }

    static func tags(_ spans: [TypedSpan], length: Int) -> [String] {
        var out = [String](repeating: "O", count: length)
        for span in spans where span.start < span.end && span.end <= length {
            out[span.start] = "B-\(span.type)"
            for i in (span.start + 1)..<span.end { out[i] = "I-\(span.type)" }
        }
        return out
    }

    private static func split(_ tag: String) -> (String, String?) {
        guard tag != "O", let dash = tag.firstIndex(of: "-") else { return ("O", nil) }
        return (String(tag[..<dash]), String(tag[tag.index(after: dash)...]))
    }
}
