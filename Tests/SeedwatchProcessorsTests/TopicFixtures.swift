import Foundation
import SeedwatchProcessors
import SeedwatchTestSupport

/// Shared inputs for the topic tests: the seed story read from ../shared/seeds (never copied into
/// the repository) and an unrelated article written for these tests.
enum TopicFixtures {
    static let seedsDirectory = SharedData.seeds

    static var seedFiles: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: seedsDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { seedsDirectory.appendingPathComponent($0) }
    }

    static func seed(_ url: URL) throws -> TopicObservation {
        let text = try String(contentsOf: url, encoding: .utf8)
        return TopicObservation(id: url.lastPathComponent, path: url.path, text: text)
    }

    static func background() throws -> BackgroundModel { try BackgroundModel.shipped() }

    /// Written for these tests; about nothing the seed story touches.
    /// Six short documents of one made-up "category" vocabulary, for theme and shift tests.
    static let sportBlock = ["match goal striker keeper league season coach", "league match referee goal penalty striker",
                             "coach season league title striker goal", "keeper save penalty match league coach",
                             "striker goal match season title league", "referee penalty keeper match goal coach"]
    /// Six documents of a second vocabulary that shares no word with `sportBlock`.
    static let marketsBlock = ["shares market investors profit bank earnings", "bank interest rates inflation market shares",
                               "earnings profit investors shares quarter bank", "inflation rates bank market bonds investors",
                               "bonds shares profit earnings market quarter", "investors bank rates inflation bonds profit"]

    static let unrelatedArticle = """
    Village orchard keeps rare apple varieties alive

    Volunteers in a hill village have spent the autumn grafting cuttings from more than forty old \
    apple varieties, some of which survive in only one or two gardens, onto young rootstock in a \
    community orchard.

    The orchard group began after a retired teacher noticed that the gnarled trees behind the \
    chapel were being cleared one by one. Cider makers, beekeepers and pupils from the primary \
    school now tend the rows, and every graft is labelled with the name of the garden it came from.

    "Some of these apples ripen in August and some keep until spring in a cool shed," said one of \
    the growers. "Each has its own flavour, from sharp and green to sweet and almost nutty."

    The group presses juice at a harvest fair each October and sells young trees to fund \
    fencing against deer. Pollinators have followed: the beekeepers report stronger hives since \
    the blossom rows were planted, and botanists from the county wildlife trust have recorded \
    orchids in the uncut grass between the trees.

    Next spring the volunteers plan a pruning course and a seed bank for the pear and plum \
    varieties that grow along the old drovers' lane.
    """

    /// A short original piece with a few words changed in a copy, for near-duplicate tests.
    static let wireStory = """
    Harbour ferry service resumes after storm repairs

    The island ferry returned to its regular timetable on Monday after engineers finished replacing \
    the damaged loading ramp at the north pier. Crossings had been suspended for nine days while \
    divers inspected the pier foundations and a crane lifted the new ramp into place. The operator \
    said the morning sailings would run with extra capacity for freight lorries that had waited on \
    the quay, and that passengers holding tickets for cancelled crossings could travel free this week.
    """

    static var wireCopy: String {
        wireStory.replacingOccurrences(of: "on Monday", with: "on Tuesday")
            .replacingOccurrences(of: "nine days", with: "ten days")
    }
}
