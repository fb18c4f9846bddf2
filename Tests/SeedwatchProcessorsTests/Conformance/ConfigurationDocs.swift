import Foundation
import SeedwatchCore

/// The user documentation (README.md and docs/*.md), and whether it documents a configuration key.
struct ConfigurationDocs {
    let readme: String
    /// docs/<file>.md by file name.
    let pages: [String: String]

    init() throws {
        readme = try Repository.text("README.md")
        let folder = Repository.path("docs")
        var pages: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".md") {
            pages[file] = try Repository.text("docs/\(file)")
        }
        self.pages = pages
    }

    /// A key is documented when one of these holds:
    /// - its full name appears (`processors.stats.words_per_minute`), or its generic form
    ///   (`processors.<name>.timeout_ms`, `processors.external.<name>.command`);
    /// - the README's configuration row for the processor's scope (`| \`processors.summary.*\``)
    ///   names the field in backticks;
    /// - the page the README's processor table names for it (`(docs/TOPICS.md)`) names the field in backticks.
    func documents(_ key: ConfigKey, of subject: ConformanceSubject) -> Bool {
        let all = [readme] + pages.values
        if all.contains(where: { $0.contains(key.name) }) { return true }
        let genericScope = subject.example == nil ? "processors.<name>." : "processors.external.<name>."
        let field = String(key.name.dropFirst(subject.scope.count))
        if all.contains(where: { $0.contains(genericScope + field) }) { return true }
        let quoted = "`\(field)`"
        let scopeRows = [subject.scope, genericScope].map { "| `\($0)*`" }
        if readmeRows(startingWith: scopeRows).contains(where: { $0.contains(quoted) }) { return true }
        for page in pagesNamed(inRowsOf: subject.name) where pages[page]?.contains(quoted) == true { return true }
        return false
    }

    private func readmeRows(startingWith prefixes: [String]) -> [Substring] {
        readme.split(separator: "\n").filter { row in prefixes.contains { row.hasPrefix($0) } }
    }

    /// `docs/X.md` references in the README's processor-table row of `name`.
    private func pagesNamed(inRowsOf name: String) -> [String] {
        readmeRows(startingWith: ["| `\(name)` |"]).flatMap { row in
            row.components(separatedBy: "docs/").dropFirst().compactMap { rest -> String? in
                guard let end = rest.range(of: ".md") else { return nil }
                return String(rest[..<end.lowerBound]) + ".md"
            }
        }
    }
}
