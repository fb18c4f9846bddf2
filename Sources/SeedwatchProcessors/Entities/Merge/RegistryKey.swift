/// A name's key as the registry compares it: the `NameKey` with hashes of its consonant skeletons,
/// worked out once per name (a document's names in the parallel stage, an entry's names when it is
/// read), not once per comparison.
///
/// Two names can only be the same name when their tokens' skeletons are equal one by one, and one
/// can only end the other when their last tokens' skeletons are equal (`NameKey.sameToken` needs
/// equal skeletons for different words). Comparing the hashes first rejects almost every pair of a
/// name and its hundreds of candidate entries with two integer comparisons; the pairs that pass are
/// compared by `NameKey` as before, so a collision costs time, never a different answer.
struct RegistryKey: Sendable {
    let name: NameKey
    /// Hash of the skeletons of all tokens, in order.
    let skeletonsHash: Int
    /// Hash of the last token's skeleton; 0 without tokens.
    let lastSkeletonHash: Int

    init(_ name: NameKey) {
        self.name = name
        var all = Hasher()
        var last = 0
        for token in name.tokens {
            let skeleton = NameKey.skeleton(token)
            all.combine(skeleton)
            var one = Hasher()
            one.combine(skeleton)
            last = one.finalize()
        }
        all.combine(name.tokens.count)
        skeletonsHash = all.finalize()
        lastSkeletonHash = last
    }

    /// The key of a name as written ("Ahmed al-Sharaa").
    init(written: String) {
        self.init(NameKey(tokens: EntityRegistry.words(written)))
    }

    /// The skeleton that lists the name in the registry's look-up: its last token's.
    var postingSkeleton: String? { name.tokens.last.map(NameKey.skeleton) }

    /// `NameKey.sameName`, rejecting on the skeleton hashes first.
    func sameName(_ other: RegistryKey) -> Bool {
        skeletonsHash == other.skeletonsHash && name.sameName(other.name)
    }

    /// `NameKey.isSuffix`, rejecting on the last skeletons' hashes first.
    func isSuffix(of other: RegistryKey) -> Bool {
        lastSkeletonHash == other.lastSkeletonHash && name.isSuffix(of: other.name)
    }

    /// Whether this name of a document's entity names the registry entity that has `other`
    /// among its names: the same name (a one-word name only between entities of the same kind),
    /// one name ending the other between people, or an acronym and its expansion.
    func names(_ other: RegistryKey, bothPeople: Bool, sameKind: Bool) -> Bool {
        sameName(other) && (sameKind || name.tokens.count > 1)
            || bothPeople && (isSuffix(of: other) || other.isSuffix(of: self))
            || name.bareWord != nil && other.name.acronym == name.bareWord
            || other.name.bareWord != nil && name.acronym == other.name.bareWord
    }

    /// The same test on the plain keys, without the hashes: what the registry compared before they
    /// were kept (tests check that both agree).
    static func namesWithoutHashes(_ key: NameKey, _ other: NameKey, bothPeople: Bool, sameKind: Bool) -> Bool {
        key.sameName(other) && (sameKind || key.tokens.count > 1)
            || bothPeople && (key.isSuffix(of: other) || other.isSuffix(of: key))
            || key.bareWord != nil && other.acronym == key.bareWord
            || other.bareWord != nil && key.acronym == other.bareWord
    }
}

/// One document's entity as the registry takes it: the cluster as logged, and the keys of its
/// names, made in the parallel stage so the arrival-order turn only looks up and compares.
struct RegistryCluster: Sendable {
    let cluster: EntityRegistry.Cluster
    /// Keys of `cluster.aliases` then `cluster.name`, in that order (the order aliases are added
    /// to an entry), empty ones included.
    let formKeys: [RegistryKey]
    /// Keys of the name then the aliases, empty ones left out: what candidates are found and
    /// compared by.
    let keys: [RegistryKey]
    let isPerson: Bool
    let isNumeric: Bool

    init(_ cluster: EntityRegistry.Cluster) {
        self.cluster = cluster
        formKeys = (cluster.aliases + [cluster.name]).map(RegistryKey.init(written:))
        let nameKey = formKeys[formKeys.count - 1]
        keys = ([nameKey] + formKeys.dropLast()).filter { !$0.name.isEmpty }
        isPerson = cluster.type == "PER"
        isNumeric = MentionMerger.numericTypes.contains(cluster.type)
    }

    /// The key of `cluster.name`.
    var nameKey: RegistryKey { formKeys[formKeys.count - 1] }
}
