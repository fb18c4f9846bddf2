import Foundation
import SeedwatchCore
import Testing
import SeedwatchTestSupport
@testable import SeedwatchProcessors

/// The run split of a fused theme, its flip-flop guard and its state across a restart. The generated
/// stream has no categories: a split of its one theme leaves halves the stream flips between, which
/// the guard must undo. Runs of 2 documents (instead of 6) make the first splits come within ~1,200
/// documents, so the tests stay short.
@Suite("Topic theme split", .ownThreads)
struct TopicSplitTests {
    static func configuration(maxFlips: Int = TopicTrackerConfiguration().themeSplitMaxFlips) -> TopicTrackerConfiguration {
        var configuration = TopicTrackerConfiguration()
        configuration.themeRunDocs = 2
        configuration.themeSplitMaxFlips = maxFlips
        configuration.checkpointDocs = 1  // term counts written every document, so only the split state is at stake
        return configuration
    }

    static let documents = 1_200

    @Test func guardRevertsASplitTheStreamFlipsAcross() throws {
        let background = try TopicFixtures.background()
        func run(maxFlips: Int) -> (shifts: [Int], blocked: Bool) {
            var engine = TopicEngine(configuration: Self.configuration(maxFlips: maxFlips), background: background)
            var stream = SyntheticStream(seed: 42)
            var shifts: [Int] = []
            for index in 0..<Self.documents where engine.observe(stream.next()).0.alerts.contains(where: { $0.alertClass == .topicShift }) {
                shifts.append(index)
            }
            return (shifts, engine.themes.values.contains { $0.splitBlocked })
        }
        let guarded = run(maxFlips: 4)
        let unguarded = run(maxFlips: 0)
        // The unguarded stream keeps flipping to the end; the guarded one reverts and is quiet after.
        #expect(!unguarded.blocked)
        #expect(guarded.blocked)
        #expect(guarded.shifts.count < unguarded.shifts.count)
        let lastStretch = Self.documents - 30
        #expect(guarded.shifts.filter { $0 >= lastStretch }.isEmpty)
        #expect(!unguarded.shifts.filter { $0 >= lastStretch }.isEmpty)
    }

    /// Runs, open runs, the split flag and a watched split's snapshot are persisted: restarts before
    /// a split, inside a watched split and after its revert give the alerts of an uninterrupted run.
    @Test func restartKeepsSplitState() async throws {
        let background = try TopicFixtures.background()
        let configuration = Self.configuration()
        func alerts(restartAt: Set<Int>) async throws -> [String] {
            let store = MemoryStateStore()
            var tracker = try TopicTracker(configuration: configuration, background: background, store: store)
            var stream = SyntheticStream(seed: 42)
            var found: [String] = []
            for index in 0..<Self.documents {
                if restartAt.contains(index) { tracker = try TopicTracker(configuration: configuration, background: background, store: store) }
                let result = try await tracker.observe(stream.next())
                // topic_shift only, the layer the split is part of: the story layer did not restart
                // exactly on this stream (a restart at document 370 gave one extra new_topic at 410).
                for alert in result.alerts where alert.alertClass == .topicShift {
                    found.append("\(index) \(alert.topicID) from \(alert.previousTopicID ?? "-")")
                }
            }
            return found
        }
        let uninterrupted = try await alerts(restartAt: [])
        #expect(uninterrupted.count >= 4)
        let restarted = try await alerts(restartAt: [370, 1_003, 1_150, 1_170])
        #expect(restarted == uninterrupted)
    }
}
