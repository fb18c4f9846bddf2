/// One entity mention in a document: the words, their type and where they are.
struct Mention: Sendable {
    var text: String
    var tokens: [String]
    var type: String
    /// UTF-8 byte offsets into the analysed clean text, end exclusive.
    var start: Int
    var end: Int
    var sentence: Int
    var key: NameKey
    /// The words around it say what it is ("President …", "… air base"): strong evidence of the type.
    var cued = false

    /// How much this mention says about the entity's type: a full name more than a surname.
    var typeWeight: Int { key.tokens.count + (cued ? 2 : 0) }
}

/// Mentions of one entity in one document.
struct EntityCluster: Sendable {
    var mentions: [Mention]
    /// Names seen, longest first: the first is the full name.
    var names: [NameKey]
    var typeVotes: [String: Int]

    var type: String {
        typeVotes.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? "MISC"
    }
    var longest: NameKey { names.first ?? NameKey(tokens: []) }
}

/// Groups the mentions of a document into entities: shorter names resolve to the full name,
/// spelling variants merge, acronyms merge with their expansion.
///
/// Longest names go first so a short name ("Assad") finds the full one ("Bashar al-Assad") it
/// abbreviates. Candidates are found through a hash index, so the cost stays linear in the number
/// of mentions even for a megabyte of names.
enum MentionMerger {
    static let numericTypes: Set<String> = ["DATE", "MONEY", "PERCENT"]

    static func merge(_ mentions: [Mention]) -> [EntityCluster] {
        let order = mentions.indices.sorted {
            let a = mentions[$0].key.tokens.count, b = mentions[$1].key.tokens.count
            return a != b ? a > b : $0 < $1
        }
        var clusters: [EntityCluster] = []
        var exact: [String: Int] = [:]          // joined key → cluster
        var byToken: [String: [Int]] = [:]      // skeleton of a name's last token → clusters
        var byAcronym: [String: Int] = [:]      // initials of a long name → cluster
        for index in order {
            let mention = mentions[index]
            let key = mention.key
            guard !key.isEmpty else { continue }
            let numeric = numericTypes.contains(mention.type)
            let exactKey = (numeric ? mention.type + ":" : "") + key.joined
            var target = exact[exactKey]
            if target == nil && !numeric {
                target = findVariant(key, mention: mention, clusters: clusters, byToken: byToken, byAcronym: byAcronym)
            }
            if let target {
                clusters[target].mentions.append(mention)
                clusters[target].typeVotes[mention.type, default: 0] += mention.typeWeight
                if !clusters[target].names.contains(where: { $0 == key }) && clusters[target].names.count < 32 {
                    clusters[target].names.append(key)
                }
                exact[exactKey] = target
                continue
            }
            let id = clusters.count
            clusters.append(EntityCluster(mentions: [mention], names: [key], typeVotes: [mention.type: mention.typeWeight]))
            exact[exactKey] = id
            guard !numeric else { continue }
            for token in Set(key.tokens.map(NameKey.skeleton)) where byToken[token, default: []].count < 64 {
                byToken[token, default: []].append(id)
            }
            if let acronym = key.acronym, byAcronym[acronym] == nil { byAcronym[acronym] = id }
        }
        return clusters
    }

    private static func findVariant(
        _ key: NameKey, mention: Mention, clusters: [EntityCluster], byToken: [String: [Int]], byAcronym: [String: Int]
    ) -> Int? {
        if NameKey.looksLikeAcronym(mention.text), let id = byAcronym[key.joined.replacingDots()] {
            return id
        }
        guard let last = key.tokens.last else { return nil }
        var best: Int?
        for id in byToken[NameKey.skeleton(last)] ?? [] {
            let cluster = clusters[id]
            guard !numericTypes.contains(cluster.type) else { continue }
            let person = cluster.type == "PER" || mention.type == "PER"
            let matches = cluster.names.contains { name in
                key.sameName(name) || (person && key.isSuffix(of: name))
                    || (key.tokens.count >= 2 && key.isContained(in: name))
            }
            guard matches else { continue }
            if best.map({ clusters[$0].mentions.count < cluster.mentions.count }) ?? true { best = id }
        }
        return best
    }
}

extension String {
    func replacingDots() -> String { filter { $0 != "." } }
}
