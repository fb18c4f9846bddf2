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

    /// Salience: more mentions, an earlier first mention and a mention in the headline (first
    /// sentence) count; scaled so the top entity of the document has 1.
    static func result(_ drafts: [EntityDraft], resolved: [(name: String, type: String, documents: Int)], maxMentions: Int) -> EntitiesResult {
        var records: [EntityRecord] = []
        var raw: [Double] = []
        for (draft, canonical) in zip(drafts, resolved) {
            let mentions = draft.cluster.mentions.sorted { $0.start < $1.start }
            let first = mentions.first?.sentence ?? 0
            let numeric = MentionMerger.numericTypes.contains(draft.cluster.type)
            var score = (1 + Double(mentions.count)).squareRoot() + 1 / (1 + Double(first) / 3)
            if first == 0 { score += 0.5 }
            if numeric { score *= 0.3 }
            raw.append(score)
            var aliases = draft.aliases
            if canonical.name != draft.name && !aliases.contains(draft.name) { aliases.insert(draft.name, at: 0) }
            aliases.removeAll { $0 == canonical.name }
            records.append(EntityRecord(
                name: canonical.name, type: typeNames[canonical.type] ?? canonical.type, aliases: aliases,
                mentions: mentions.prefix(maxMentions).map { EntityMention(text: $0.text, start: $0.start, end: $0.end) },
                count: mentions.count, salience: 0, documents: canonical.documents
            ))
        }
        let top = raw.max() ?? 1
        for i in records.indices { records[i].salience = (raw[i] / top * 1000).rounded() / 1000 }
        let order = records.indices.sorted {
            records[$0].salience != records[$1].salience ? records[$0].salience > records[$1].salience : $0 < $1
        }
        return EntitiesResult(entities: order.map { records[$0] })
    }
}
