import Foundation
import SeedwatchTestSupport
import Testing
@testable import SeedwatchText

/// Boilerplate removal measured on the five real articles in ../shared/seeds.
///
/// Each seed's lines were read by a person and marked boilerplate or article by line number (the
/// text itself is not copied here). The test checks both directions: every boilerplate line is
/// removed (no removed-class line reaches the clean text) and every article line survives whole
/// (no body sentence is lost). Blank and whitespace-only lines are neither.
@Suite(.enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
struct SeedBoilerplateTests {
    struct Seed {
        var file: String
        /// Line numbers of page furniture, with the reason expected.
        var boilerplate: [Int: BoilerplateReason]
        /// Line numbers of the article: headline, body paragraphs, subheadings.
        var article: [Int]
    }

    static let seeds: [Seed] = [
        Seed(file: "000_f78a7a13b50e5d06.txt",
             boilerplate: [1: .share, 2: .noText, 10: .copyright],
             article: Array(3...9)),
        Seed(file: "001_fd27662df4f2f4bd.txt",
             boilerplate: [
                1: .sectionLabel, 5: .duplicate, 55: .byline, 57: .authorBox, 59: .commentForm, 61: .commentForm,
                63: .relatedBlock, 65: .afterRelated, 67: .afterRelated, 69: .date, 70: .afterRelated,
                71: .duplicate, 73: .afterRelated, 75: .date, 76: .afterRelated,
             ],
             article: [3] + Array(stride(from: 9, through: 53, by: 4))),
        Seed(file: "002_3f53651f691d5e52.txt",
             boilerplate: [1: .sectionLabel, 29: .copyright, 31: .sourceLink, 33: .relatedBlock, 35: .pagination],
             article: Array(stride(from: 3, through: 27, by: 2))),
        Seed(file: "003_06cf7b6a2a29ffa4.txt", boilerplate: [:], article: Array(1...19)),
        Seed(file: "004_fdbfe02809bb4a7e.txt", boilerplate: [:], article: Array(1...11)),
    ]

    static let seedsFolder = SharedData.seeds

    @Test(arguments: seeds.map(\.file))
    func boilerplateGoesArticleStays(file: String) throws {
        let seed = try #require(Self.seeds.first { $0.file == file })
        let raw = try String(contentsOf: Self.seedsFolder.appendingPathComponent(file), encoding: .utf8)
        let analysis = TextAnalyzer.analyze(text: raw, format: .plain)
        let removed = Dictionary(analysis.removed.map { ($0.line, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(removed == seed.boilerplate, "\(file)")

        let lines = TextNormalizer.normalize(raw).split(separator: "\n", omittingEmptySubsequences: false)
        let clean = analysis.text
        for number in seed.article {
            let line = lines[number - 1].trimmingCharacters(in: .whitespaces)
            #expect(clean.contains(line), "\(file): article line \(number) lost")
        }
        for number in seed.boilerplate.keys where number != 5 && number != 71 {  // duplicates keep one copy
            let line = lines[number - 1].trimmingCharacters(in: .whitespaces)
            #expect(!clean.contains(line), "\(file): boilerplate line \(number) reached the clean text")
        }
        // Every line with text is classified one way or the other.
        let classified = Set(seed.article).union(seed.boilerplate.keys)
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            #expect(classified.contains(index + 1), "\(file): line \(index + 1) not annotated")
        }
    }
}
