import FoundationEssentials
import SeedwatchCore

/// The `topics` processor: assigns each document to a story and a theme and raises alerts.
///
/// Stateful: the pipeline tokenizes documents concurrently (`prepare`) and calls the tracker one
/// document at a time in arrival order (`complete`); the tracker keeps its state in the
/// processor's store, so restarts continue the same stream.
public struct TopicsProcessor: StagedProcessor, ProcessorFactory {
    public static let processorName = "topics"
    public static let summary = "story clustering, new-story and topic-shift alerts, near-duplicates"
    public static var configKeys: [ConfigKey] { TopicTrackerConfiguration.configKeys }

    public static func make(_ context: ProcessorContext) throws -> any Processor {
        let tracker = try TopicTracker(
            configuration: TopicTrackerConfiguration(context.config), background: BackgroundModel.shipped(),
            store: context.store
        )
        return TopicsProcessor(tracker: tracker)
    }

    public let name = Self.processorName
    /// `text` gives the clean text (markup and boilerplate such as share lines removed), so
    /// boilerplate never becomes topic vocabulary; `entities` is used when it ran.
    public let dependencies: [ProcessorDependency] = [.required("text"), .optional("entities")]
    public let tracker: TopicTracker

    public init(tracker: TopicTracker) {
        self.tracker = tracker
    }

    /// The document's terms, counts and near-duplicate signature: none of it depends on earlier
    /// documents, so it runs concurrently with other documents' turns.
    public func prepare(_ input: ProcessorInput) async throws -> Prepared {
        let document = input.document
        // Terms still come from this processor's own tokenizer: the background model and the
        // measured thresholds were made with it (see docs/TOPICS.md).
        let clean = input.output(of: "text", as: TextResult.self)?.analysis.text
        let observation = TopicObservation(
            id: document.id, path: document.source.path, text: clean ?? document.text,
            entities: input.upstream["entities"].map(Self.entityNames) ?? []
        )
        return Prepared(observation: observation, terms: TopicVectorizer.prepare(observation, configuration: tracker.configuration))
    }

    /// The tracker, in the document's arrival-order turn.
    public func complete(_ prepared: Prepared, _ input: ProcessorInput) async throws -> any ProcessorOutput {
        let turn = try await take(prepared, input)
        try await turn.commit.wait()
        return turn.output
    }

    /// The tracker's turn without the wait for its state write (group commit).
    public func take(_ prepared: Prepared, _ input: ProcessorInput) async throws -> StagedTurn {
        let (result, commit) = try await tracker.take(prepared.observation, prepared: prepared.terms)
        return StagedTurn(output: result, commit: commit)
    }

    /// One document as the tracker will see it.
    public struct Prepared: Sendable {
        let observation: TopicObservation
        let terms: PreparedTopicDocument
    }

    /// The term statistics are written every `checkpoint_docs` documents; a clean stop writes
    /// the rest.
    public func stop() async throws {
        try await tracker.checkpoint()
    }

    /// Entity names from the entities processor's output: directly when it lists them
    /// (`EntityNamesOutput`, the built-in processor), else through its JSON form.
    ///
    /// The JSON round trip cost more than the rest of this processor together (~12% of the
    /// daemon's CPU per document), inside the arrival-order turn every document waits for.
    static func entityNames(_ output: any ProcessorOutput) -> [String] {
        if let listing = output as? any EntityNamesOutput { return listing.entityNames }
        return entityNamesFromJSON(output)
    }

    /// Every `text` (or `name`) string inside an object that also has a `type` or `label`, so
    /// this module does not depend on the types of whatever produced the entities.
    static func entityNamesFromJSON(_ output: any ProcessorOutput) -> [String] {
        guard let bytes = try? SortedJSONEncoder.encode(output), let value = JSONValue.parse(bytes) else { return [] }
        var names: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case let .object(members):
                if members["type"] != nil || members["label"] != nil,
                   case let .string(name)? = members["text"] ?? members["name"] {
                    names.append(name)
                }
                for (_, member) in members.sorted(by: { $0.key < $1.key }) { walk(member) }
            case let .array(items):
                items.forEach(walk)
            default:
                break
            }
        }
        walk(value)
        return names
    }
}
