import ArgumentParser
import FoundationEssentials
import SeedwatchCore
import SeedwatchProcessors

/// `seedwatch eval ner FILE.conll`: tags the given tokens and prints `token<TAB>gold<TAB>predicted`.
///
/// Stdout carries only the tagged lines (a blank line between sentences), so it can be scored by
/// conlleval or seqeval directly; the figures go to stderr.
struct EvalNERCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Tag a token<TAB>tag file with the entity tagger; figures on stderr."
    )

    @Argument(help: "Sentences as token<TAB>tag lines, blank line between sentences.")
    var file: String
    @Option(help: "A model file instead of the shipped one.")
    var model: String?

    func run() throws {
        let sentences = ConllCorpus.parse(try String(contentsOfFile: file, encoding: .utf8))
        let tagger = try model.map { try EntityTagger(contentsOf: $0) } ?? EntityTagger.shipped()
        var predictions: [[String]] = []
        predictions.reserveCapacity(sentences.count)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            // Each Reuters story as one document (CoNLL's -DOCSTART- lines are gone; datelines mark them).
            for document in ConllCorpus.documents(sentences) {
                predictions += tagger.tag(document: sentences[document].map(\.tokens))
            }
        }
        var out = ""
        var score = SpanScore()
        var tokens = 0
        for (sentence, predicted) in zip(sentences, predictions) {
            for (i, token) in sentence.tokens.enumerated() {
                out += "\(token)\t\(sentence.tags[i])\t\(predicted[i])\n"
            }
            out += "\n"
            tokens += sentence.tokens.count
            score.add(gold: sentence.tags, predicted: predicted)
        }
        StandardStreams.writeOut(out)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        Stderr.print(score.report)
        Stderr.print("\(sentences.count) sentences, \(tokens) tokens tagged in \(CFormat.string("%.3f", seconds)) s: "
            + "\(Int(Double(tokens) / max(seconds, 1e-9))) tokens/s (one core)")
    }
}
