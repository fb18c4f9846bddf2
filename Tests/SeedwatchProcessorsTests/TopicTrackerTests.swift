import Foundation
import SeedwatchCore
import SeedwatchTestSupport
import Testing
@testable import SeedwatchProcessors

@Suite("Topic tracker")
struct TopicTrackerTests {
    /// The five seed articles tell one story: in any order, one new_topic and no topic_shift.
    @Test(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"), arguments: [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 0, 3, 1], [3, 0, 4, 1, 2]])
    func seedStoryRaisesOneNewTopic(order: [Int]) async throws {
        let files = TopicFixtures.seedFiles
        try #require(files.count == 5)
        let tracker = try TopicTracker(background: TopicFixtures.background(), store: nil)
        var alerts: [TopicAlert] = []
        var topics = Set<String>()
        for index in order {
            let result = try await tracker.observe(TopicFixtures.seed(files[index]))
            alerts += result.alerts
            topics.insert(result.topic)
        }
        #expect(alerts.filter { $0.alertClass == .newTopic }.count == 1)
        #expect(alerts.filter { $0.alertClass == .topicShift }.isEmpty)
        #expect(topics.count == 1)

        let unrelated = try await tracker.observe(TopicObservation(id: "orchard", text: TopicFixtures.unrelatedArticle))
        #expect(!unrelated.alerts.isEmpty)
        #expect(unrelated.alerts.contains { $0.alertClass == .newTopic })
        #expect(!topics.contains(unrelated.topic))
    }

    @Test func nearDuplicateJoinsTheOriginalAndRaisesNothing() async throws {
        let tracker = try TopicTracker(background: TopicFixtures.background(), store: nil)
        let first = try await tracker.observe(TopicObservation(id: "ferry-1", text: TopicFixtures.wireStory))
        _ = try await tracker.observe(TopicObservation(id: "orchard", text: TopicFixtures.unrelatedArticle))
        let copy = try await tracker.observe(TopicObservation(id: "ferry-2", text: TopicFixtures.wireCopy))
        #expect(first.nearDuplicateOf == nil)
        #expect(copy.nearDuplicateOf == "ferry-1")
        #expect(copy.topic == first.topic)
        #expect(copy.alerts.isEmpty)
    }

    @Test func nearDuplicateNeverOpensATopicEvenBelowTheJoinThreshold() async throws {
        var configuration = TopicTrackerConfiguration()
        configuration.joinSimilarity = 1.01  // nothing joins by similarity
        configuration.burstSimilarity = 1.01
        let tracker = try TopicTracker(configuration: configuration, background: TopicFixtures.background(), store: nil)
        let first = try await tracker.observe(TopicObservation(id: "a", text: TopicFixtures.wireStory))
        let copy = try await tracker.observe(TopicObservation(id: "b", text: TopicFixtures.wireCopy))
        #expect(copy.topic == first.topic)
        #expect(!copy.alerts.contains { $0.alertClass == .newTopic })
    }

    @Test func documentWithoutWordsIsReportedWithoutAlerts() async throws {
        let tracker = try TopicTracker(background: .empty, store: nil)
        let result = try await tracker.observe(TopicObservation(id: "x", text: "  ... 123 !! "))
        #expect(result.topic == "none")
        #expect(result.alerts.isEmpty)
    }

    /// Blocks of clearly different vocabulary: the second block raises one topic_shift near its start.
    @Test func vocabularyChangeRaisesTopicShift() async throws {
        let tracker = try TopicTracker(background: .empty, store: nil)
        let sport = ["match goal striker keeper league season coach", "league match referee goal penalty striker",
                     "coach season league title striker goal", "keeper save penalty match league coach",
                     "striker goal match season title league", "referee penalty keeper match goal coach"]
        let markets = ["shares market investors profit bank earnings", "bank interest rates inflation market shares",
                       "earnings profit investors shares quarter bank", "inflation rates bank market bonds investors",
                       "bonds shares profit earnings market quarter", "investors bank rates inflation bonds profit"]
        var shifts: [Int] = []
        for (index, text) in (sport + sport + markets + markets).enumerated() {
            let result = try await tracker.observe(TopicObservation(id: "d\(index)", text: text))
            if result.alerts.contains(where: { $0.alertClass == .topicShift }) { shifts.append(index) }
        }
        #expect(shifts.count == 1)
        #expect(shifts.allSatisfy { (12...14).contains($0) })
    }

    /// A shift back to a known theme whose centroid is close enough to the current one merges the two
    /// themes instead of alerting; with the merge disabled the return raises a second topic_shift.
    @Test(arguments: [(1.0, 2), (0.0, 1)])
    func shiftToACloseKnownThemeMergesInstead(flipMerge: Double, expectedShifts: Int) async throws {
        var configuration = TopicTrackerConfiguration()
        configuration.themeFlipMergeSimilarity = flipMerge
        let tracker = try TopicTracker(configuration: configuration, background: .empty, store: nil)
        let sport = ["match goal striker keeper league season coach", "league match referee goal penalty striker",
                     "coach season league title striker goal", "keeper save penalty match league coach",
                     "striker goal match season title league", "referee penalty keeper match goal coach"]
        let markets = ["shares market investors profit bank earnings", "bank interest rates inflation market shares",
                       "earnings profit investors shares quarter bank", "inflation rates bank market bonds investors",
                       "bonds shares profit earnings market quarter", "investors bank rates inflation bonds profit"]
        var shifts = 0
        for (index, text) in (sport + sport + markets + markets + sport + sport).enumerated() {
            let result = try await tracker.observe(TopicObservation(id: "d\(index)", text: text))
            shifts += result.alerts.filter { $0.alertClass == .topicShift }.count
        }
        #expect(shifts == expectedShifts)
    }

    /// One article of another category inside a block adds evidence that the next ordinary article
    /// takes away again: no topic_shift, and the block's theme stays.
    @Test func oneStrayDocumentInABlockRaisesNoShift() async throws {
        let tracker = try TopicTracker(background: .empty, store: nil)
        let stray = "shares market investors profit bank earnings"
        var shifts = 0
        var themes = Set<String>()
        for (index, text) in (TopicFixtures.sportBlock + TopicFixtures.sportBlock + [stray] + TopicFixtures.sportBlock).enumerated() {
            let result = try await tracker.observe(TopicObservation(id: "d\(index)", text: text))
            shifts += result.alerts.filter { $0.alertClass == .topicShift }.count
            if index != 12, let theme = result.theme { themes.insert(theme) }
        }
        #expect(shifts == 0)
        #expect(themes.count == 1)
    }

    @Test func alertMessageIDsAreFixed128BitHex() {
        let ids = TopicAlertClass.allCases.map(\.messageID)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(TopicAlertClass.newTopic.messageID == "9bcbd3d5bc234694848bff3038977e5e")
        #expect(TopicAlertClass.topicShift.messageID == "4494c7e18fd2492993959ba8dc404868")
    }
}
