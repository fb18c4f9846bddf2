/// A document's entity before it gets its canonical name from the registry.
struct EntityDraft: Sendable {
    var cluster: EntityCluster
    /// The fullest name seen in the document, as written (a form not in capitals when there is one).
    var name: String
    var aliases: [String]

    static let typeNames = ["PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOCATION", "MISC": "MISC"]

    init(cluster: EntityCluster) {
        self.cluster = cluster
        let longest = cluster.mentions.map(\.key.tokens.count).max() ?? 0
        let full = cluster.mentions.filter { $0.key.tokens.count == longest }
        let mixedCase = full.filter { $0.text != $0.text.uppercased() || NameKey.looksLikeAcronym($0.text) }
        let candidates = mixedCase.isEmpty ? full : mixedCase
        var counts: [String: Int] = [:]
        for mention in candidates { counts[mention.text, default: 0] += 1 }
        // Most frequent full form; ties go to the first written.
        let most = counts.values.max() ?? 0
        name = candidates.first { counts[$0.text] == most }?.text ?? cluster.mentions.first?.text ?? ""
        var aliases: [String] = []
        for mention in cluster.mentions.sorted(by: { $0.start < $1.start })
        where mention.text != name && !aliases.contains(mention.text) && aliases.count < 24 {
            aliases.append(mention.text)
        }
        self.aliases = aliases
    }

    /// The result without what the registry decides. Salience: more mentions, an earlier first
    /// mention and a mention in the headline (first sentence) count; scaled so the top entity of
    /// the document has 1.
    static func unnamed(_ drafts: [EntityDraft], maxMentions: Int) -> UnnamedEntities {
        var records: [EntityRecord] = []
        var raw: [Double] = []
        for draft in drafts {
            let mentions = draft.cluster.mentions.sorted { $0.start < $1.start }
            let first = mentions.first?.sentence ?? 0
            let numeric = MentionMerger.numericTypes.contains(draft.cluster.type)
            var score = (1 + Double(mentions.count)).squareRoot() + 1 / (1 + Double(first) / 3)
            if first == 0 { score += 0.5 }
            if numeric { score *= 0.3 }
            raw.append(score)
            records.append(EntityRecord(
                name: draft.name, type: draft.cluster.type, aliases: draft.aliases,
                mentions: mentions.prefix(maxMentions).map { EntityMention(text: $0.text, start: $0.start, end: $0.end) },
                count: mentions.count, salience: 0, documents: 0
            ))
        }
        let top = raw.max() ?? 1
        for i in records.indices { records[i].salience = (raw[i] / top * 1000).rounded() / 1000 }
        let order = records.indices.sorted {
            records[$0].salience != records[$1].salience ? records[$0].salience > records[$1].salience : $0 < $1
        }
        return UnnamedEntities(records: order.map { records[$0] }, drafts: order)
    }
}

/// A document's entities result before the registry names them, made in the parallel stage: each
/// record keeps the draft's name and aliases until `named` puts in the canonical ones.
struct UnnamedEntities: Sendable {
    /// Most salient first.
    var records: [EntityRecord]
    /// The draft (cluster) each record comes from: an index into what the registry resolved.
    var drafts: [Int]

    /// The result with the registry's name, type and document count for each draft; the draft's
    /// own name becomes an alias when the registry calls the entity otherwise.
    func named(_ resolved: [(name: String, type: String, documents: Int)]) -> EntitiesResult {
        var records = records
        for (i, draft) in zip(records.indices, drafts) where resolved.indices.contains(draft) {
            let canonical = resolved[draft]
            var aliases = records[i].aliases
            let name = records[i].name
            if canonical.name != name && !aliases.contains(name) { aliases.insert(name, at: 0) }
            aliases.removeAll { $0 == canonical.name }
            records[i].name = canonical.name
            records[i].type = EntityDraft.typeNames[canonical.type] ?? canonical.type
            records[i].aliases = aliases
            records[i].documents = canonical.documents
        }
        return EntitiesResult(entities: records)
    }
}
