import FoundationEssentials

/// The public face of the trained tagger: load a model, tag tokens, train a new one.
///
/// Loading the shipped model goes through `ResourceLocator`, so a missing or corrupt file is an
/// error to report, never a crash.
public struct EntityTagger: Sendable {
    /// The file name of the shipped model among the processor resources.
    public static let resourceName = "ner-conll2003.swner"

    let model: NERModel

    init(model: NERModel) { self.model = model }

    /// Decodes a model file's bytes.
    public init(bytes: [UInt8]) throws(NERModelError) {
        model = try ModelCodec.decode(bytes)
    }

    /// Loads the model shipped with seedwatch.
    public static func shipped() throws -> EntityTagger {
        try EntityTagger(bytes: [UInt8](ResourceLocator.data(for: resourceName)))
    }

    /// Loads a model file.
    public init(contentsOf path: String) throws {
        try self.init(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The model as file bytes.
    public func encoded() -> [UInt8] { ModelCodec.encode(model) }

    /// Entity types the model knows (e.g. LOC, MISC, ORG, PER).
    public var types: [String] { model.scheme.types }

    /// Describes the model's size for people.
    public var summary: String {
        "\(model.scheme.types.joined(separator: "/")), \(model.scheme.count) tags, 2^\(model.hashBits) buckets, "
            + "\(model.rowCount) weight rows, \(model.gazetteer.nameCount) gazetteer names, "
            + "\(model.lexicon.entries.count) lexicon words"
    }

    /// BIO tags (`B-PER`, `I-PER`, `O`, …) for one tokenised sentence.
    public func tag(_ tokens: [String]) -> [String] { model.bioTags(tokens) }

    /// BIO tags for the sentences of one document: each word is tagged knowing how the rest of
    /// the document writes it (`DocumentContext`).
    public func tag(document sentences: [[String]]) -> [[String]] { model.bioTags(document: sentences) }

    /// Trains a model on CoNLL-format sentences, choosing each run's epoch by F1 on `dev`.
    public static func train(
        train: [ConllSentence], dev: [ConllSentence], unlabeledText: [String], options: PerceptronTrainer.Options,
        log: (PerceptronTrainer.EpochReport) -> Void
    ) -> (tagger: EntityTagger, devF1: Double) {
        let trainer = PerceptronTrainer(options: options)
        let unlabeled = unlabeledText.flatMap { EntityTokenizer.sentences($0).map { $0.map(\.text) } }
        let result = trainer.train(train: train, dev: dev, unlabeled: unlabeled, log: log)
        return (EntityTagger(model: result.model), result.best.devF1)
    }

    /// Scores this tagger on CoNLL-format sentences.
    public func score(_ sentences: [ConllSentence]) -> SpanScore {
        PerceptronTrainer.score(model, sentences)
    }
}
