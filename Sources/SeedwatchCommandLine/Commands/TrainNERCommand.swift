import ArgumentParser
import FoundationEssentials
import SeedwatchCore
import SeedwatchProcessors

/// `seedwatch train-ner`: trains the entity tagger on CoNLL-format data and writes the model file.
///
/// Deterministic for the same data and options, so a retrained model can be checked against the
/// shipped one byte for byte.
struct TrainNERCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-ner",
        abstract: "Train the entity tagger (averaged perceptron, Viterbi) on token<TAB>tag files."
    )

    @Option(help: "Training sentences (token<TAB>tag, blank line between sentences).")
    var train: String
    @Option(help: "Development sentences, used to choose the epoch.")
    var dev: String
    @Option(help: "Where to write the model file.")
    var out: String
    @Option(help: "Training passes over the data.")
    var epochs: Int = 10
    @Option(help: "Training runs over differently shuffled data; their weights are averaged.")
    var runs: Int = 3
    @Option(help: "log2 of the number of feature buckets.")
    var hashBits: Int = 20
    @Option(help: "Unlabelled news text for word clusters: plain text, or JSON lines with title/text fields. Repeatable.")
    var unlabeled: [String] = []
    @Option(help: "Names from outside the training data: TYPE<TAB>name lines (tokens separated by spaces). Repeatable.")
    var gazetteer: [String] = []
    @Flag(help: "Train on the dev sentences too, for exactly --epochs epochs (choose them on dev first).")
    var trainOnDev = false
    @Option(help: "Seed for the sentence order.")
    var seed: UInt64 = 20_031

    func run() throws {
        let trainSentences = ConllCorpus.parse(try String(contentsOfFile: train, encoding: .utf8))
        let devSentences = ConllCorpus.parse(try String(contentsOfFile: dev, encoding: .utf8))
        var options = PerceptronTrainer.Options()
        options.epochs = max(1, epochs)
        options.hashBits = min(24, max(12, hashBits))
        options.seed = seed
        options.runs = min(16, max(1, runs))
        options.trainOnDev = trainOnDev
        for path in gazetteer {
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                let columns = line.split(separator: "\t")
                guard columns.count == 2 else { continue }
                options.externalNames.append((String(columns[0]), columns[1].split(separator: " ").map(String.init)))
            }
        }
        let started = Date()
        let texts = try unlabeled.flatMap { try Self.texts(in: $0) }
        let result = EntityTagger.train(train: trainSentences, dev: devSentences, unlabeledText: texts, options: options) { report in
            Stderr.print("run \(report.run) epoch \(report.epoch): \(report.mistakes) sentences wrong, "
                + "dev F1 \(CFormat.string("%.2f", report.devF1 * 100))")
        }
        let bytes = result.tagger.encoded()
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        Stderr.print("averaged model: dev F1 \(CFormat.string("%.2f", result.devF1 * 100)); "
            + "\(result.tagger.summary); \(bytes.count) bytes written to \(out) "
            + "in \(CFormat.string("%.1f", Date().timeIntervalSince(started))) s")
    }

    /// The texts of a file: each JSON line's `title` and `text`, or the whole file as plain text.
    static func texts(in path: String) throws -> [String] {
        let content = try String(contentsOfFile: path, encoding: .utf8)
        guard content.hasPrefix("{") else { return [content] }
        return content.split(separator: "\n").compactMap { line in
            guard let object = JSONValue.parse(line.utf8) else { return nil }
            return [object["title"]?.stringValue, object["text"]?.stringValue].compactMap { $0 }.joined(separator: "\n")
        }
    }
}

/// Figures and progress go to stderr so stdout stays machine-readable.
enum Stderr {
    static func print(_ line: String) {
        StandardStreams.writeError(line + "\n")
    }
}
