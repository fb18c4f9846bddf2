import SeedwatchCore

/// Finds the people, organisations, places, dates and amounts of a document, merges the names
/// that refer to the same entity, and keeps one canonical name per entity across documents.
///
/// The tagger is a trained model shipped as a resource; if it cannot be loaded the processor
/// reports `model_unavailable` for each document instead of stopping the daemon.
public struct EntitiesProcessor: StagedProcessor, ProcessorFactory {
    public static let processorName = "entities"
    public static let summary = "people, organisations, places, dates and amounts, merged across documents"
    public static let configKeys: [ConfigKey] = [
        ConfigKey("model", .path, default: .string(""),
                  help: "entity tagger model file; empty uses the shipped CoNLL-2003 model"),
        ConfigKey("max_mentions", .integer(min: 1, max: 1_000_000), default: .integer(200),
                  help: "mentions listed per entity (count still counts them all)"),
        ConfigKey("registry_cache", .integer(min: 1, max: 10_000_000), default: .integer(EntityRegistry.defaultCacheSize),
                  help: "entities of the cross-document registry kept in memory; the rest is read from the state database when a name needs it"),
    ]

    /// Loaded once per process: the model is a few MB and immutable.
    static let shippedTagger: Result<EntityTagger, any Error> = Result { try EntityTagger.shipped() }

    public static func make(_ context: ProcessorContext) throws -> any Processor {
        let path = context.config.string("model")
        let tagger: Result<EntityTagger, any Error> = path.isEmpty
            ? shippedTagger : Result { try EntityTagger(contentsOf: path) }
        return EntitiesProcessor(
            tagger: tagger, store: context.store, maxMentions: context.config.integer("max_mentions"),
            registryCache: context.config.integer("registry_cache")
        )
    }

    public let name = Self.processorName
    /// Reads the clean text, sentences and tokens of the `text` processor; mention offsets point
    /// into its clean text.
    public var dependencies: [ProcessorDependency] { [.required(TextProcessor.processorName)] }
    let tagger: Result<EntityTagger, any Error>
    let registry: EntityRegistry
    let maxMentions: Int

    init(
        tagger: Result<EntityTagger, any Error>, store: any ProcessorStateStore, maxMentions: Int = 200,
        registryCache: Int = EntityRegistry.defaultCacheSize
    ) {
        self.tagger = tagger
        self.registry = EntityRegistry(store: store, cacheSize: registryCache)
        self.maxMentions = max(1, maxMentions)
    }

    /// A processor with the shipped model and the given store (tests, one-shot runs).
    public init(store: any ProcessorStateStore = MemoryStateStore()) {
        self.init(tagger: Self.shippedTagger, store: store)
    }

    /// Tagging and merging within the document, the result but for the registry's names, and the
    /// keys the registry compares: all that needs no earlier document, run concurrently.
    public func prepare(_ input: ProcessorInput) async throws -> Drafts {
        let tagger: EntityTagger
        switch self.tagger {
        case let .success(loaded): tagger = loaded
        case let .failure(error): throw ProcessorFailure(code: "model_unavailable", message: "\(error)")
        }
        let extraction = EntityExtraction(tagger: tagger.model)
        // The `text` processor's analysis; analysed here only when called without the pipeline.
        let analysis = input.output(of: TextProcessor.processorName, as: TextResult.self)?.analysis
            ?? TextProcessor().analyze(input.document).analysis
        let entities = extraction.clusters(in: analysis).map { EntityDraft(cluster: $0) }
        // The registry's keys need no earlier document: made here, not in the arrival-order turn.
        let clusters = entities.map { RegistryCluster(($0.name, $0.cluster.type, $0.aliases, $0.cluster.typeVotes)) }
        return Drafts(result: EntityDraft.unnamed(entities, maxMentions: maxMentions), clusters: clusters)
    }

    /// The cross-document registry, in arrival order: which spelling becomes an entity's
    /// canonical name depends on the order documents arrived in, not on which finished first.
    public func complete(_ drafts: Drafts, _ input: ProcessorInput) async throws -> any ProcessorOutput {
        let turn = try await take(drafts, input)
        try await turn.commit.wait()
        return turn.output
    }

    /// The registry's turn without the wait for its state write (group commit).
    public func take(_ drafts: Drafts, _ input: ProcessorInput) async throws -> StagedTurn {
        let (resolved, commit) = try registry.resolve(documentID: input.document.id, drafts.clusters)
        return StagedTurn(output: drafts.result.named(resolved), commit: commit)
    }

    /// Writes the registry's changes since its last checkpoint, so a clean restart replays nothing.
    public func stop() async throws {
        try await registry.checkpoint()
    }

    /// One document's entities before the registry has named them.
    public struct Drafts: Sendable {
        /// The result but for what the registry decides.
        let result: UnnamedEntities
        /// The same entities with their names' keys, as the registry takes them.
        let clusters: [RegistryCluster]
    }
}
