import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

/// The registry compares a name with its candidates' names through `RegistryKey`, which rejects
/// on hashes of the consonant skeletons before comparing the words: it must decide every pair as
/// the plain `NameKey` comparison does.
@Suite struct RegistryKeyTests {
    /// Spelling variants, articles, derived words, acronyms, a place and a person of one name,
    /// diacritics, names that fold to nothing, and names sharing a last word.
    static let names = [
        "Ahmed al-Sharaa", "Ahmad al-Sharaa", "Sharaa", "al-Sharaa", "Ahmed Sharaa", "Abu Mohammed al-Jolani",
        "Bashar al-Assad", "Assad", "Asad", "Hafez al-Assad", "Tartus", "Tartous", "Tartousi", "Israel", "Israeli",
        "Russia", "Russian", "Kurd", "Kurds", "Jordan", "Michael Jordan", "Jordon", "Syrian Democratic Forces", "SDF",
        "S.D.F.", "Hayat Tahrir al-Sham", "HTS", "U.N.", "UN", "United Nations", "United Nation", "World Health Organization",
        "WHO", "Who", "Democratic Party", "Labour Party", "Party", "the Party", "The", "'s", "Mr. Smith", "Smith", "Smyth",
        "John Smith", "Jon Smyth", "Zürich", "Zurich", "Zuerich", "Ελλάδα", "Müller", "Mueller", "O'Brien", "Obrien",
        "Bank of England", "BoE", "BOE", "Bank England", "de la Rue", "Rue", "2024", "5 March", "£5m", "10%",
    ]

    /// What the registry compared before it kept the hashes.
    static func plainNames(_ key: NameKey, _ other: NameKey, bothPeople: Bool, sameKind: Bool) -> Bool {
        key.sameName(other) && (sameKind || key.tokens.count > 1)
            || bothPeople && (key.isSuffix(of: other) || other.isSuffix(of: key))
            || key.bareWord != nil && other.acronym == key.bareWord
            || other.bareWord != nil && key.acronym == other.bareWord
    }

    /// Counts the pairs that match, and those where the two comparisons disagree.
    static func compareAllPairs(_ names: [String]) -> (matching: Int, disagreeing: [String]) {
        let keys = names.map(RegistryKey.init(written:))
        var matching = 0
        var disagreeing: [String] = []
        for a in keys {
            for b in keys {
                for bothPeople in [false, true] {
                    for sameKind in [false, true] {
                        let hashed = a.names(b, bothPeople: bothPeople, sameKind: sameKind)
                        if hashed { matching += 1 }
                        if hashed != plainNames(a.name, b.name, bothPeople: bothPeople, sameKind: sameKind) {
                            disagreeing.append("\(a.name.tokens) \(b.name.tokens) \(bothPeople) \(sameKind)")
                        }
                    }
                }
            }
        }
        return (matching, disagreeing)
    }

    @Test func theHashedComparisonDecidesEveryPairAsThePlainOne() {
        let (matching, disagreeing) = Self.compareAllPairs(Self.names)
        #expect(disagreeing.isEmpty, "\(disagreeing.prefix(10))")
        // Matches beyond a name with itself: variants, suffixes and acronyms are in the list.
        #expect(matching > Self.names.count * 4)
        let sharaa = RegistryKey(written: "Sharaa"), full = RegistryKey(written: "Ahmad al-Sharaa")
        #expect(sharaa.names(full, bothPeople: true, sameKind: true) && !sharaa.names(full, bothPeople: false, sameKind: true))
        #expect(RegistryKey(written: "Tartous").names(RegistryKey(written: "Tartus"), bothPeople: false, sameKind: true))
        #expect(RegistryKey(written: "SDF").names(RegistryKey(written: "Syrian Democratic Forces"), bothPeople: false, sameKind: false))
        #expect(!RegistryKey(written: "Israeli").names(RegistryKey(written: "Israel"), bothPeople: false, sameKind: true))
    }

    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func theHashedComparisonDecidesTheSeedsNamesAsThePlainOne() async throws {
        let processor = EntitiesProcessor(store: MemoryStateStore())
        var names: [String] = []
        for document in try EntitySeedsTests.seedDocuments() {
            let drafts = try await processor.prepare(ProcessorInput(document: document))
            names += drafts.clusters.flatMap { [$0.cluster.name] + $0.cluster.aliases }
        }
        let (matching, disagreeing) = Self.compareAllPairs(Array(Set(names)).sorted())
        #expect(names.count > 50)
        #expect(matching > 0)
        #expect(disagreeing.isEmpty, "\(disagreeing.prefix(10))")
    }

    /// The processor makes the registry's keys in its parallel stage: those of the name and the
    /// aliases, as the registry would make them from the cluster.
    @Test func aClusterKeepsTheKeysOfItsNamesInOrder() {
        let cluster = RegistryCluster(("Ahmed al-Sharaa", "PER", ["Sharaa", "the", "al-Sharaa"], ["PER": 3]))
        #expect(cluster.formKeys.map(\.name.tokens) == [["sharaa"], [], ["sharaa"], ["ahmed", "sharaa"]])
        #expect(cluster.nameKey.name.tokens == ["ahmed", "sharaa"])
        // Names that fold to nothing are not compared.
        #expect(cluster.keys.map(\.name.tokens) == [["ahmed", "sharaa"], ["sharaa"], ["sharaa"]])
        #expect(cluster.isPerson && !cluster.isNumeric)
        #expect(RegistryCluster(("5 March", "DATE", [], [:])).isNumeric)
    }
}
