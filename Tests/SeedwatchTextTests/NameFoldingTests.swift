import Testing
@testable import SeedwatchText

/// Entity names are keyed by this folding in the state database, so it must give what the
/// Foundation folding it replaces gave (checked over every scalar, the corpora's tokens and
/// Latin, Greek and Cyrillic letters with each combining diacritic; docs/ENTITIES.md).
@Suite("NameFolding")
struct NameFoldingTests {
    @Test("lower case, no diacritics, full case folding", arguments: [
        ("Ahmed al-Sharaa", "ahmed al-sharaa"),
        ("Aṣ-Ṣadr", "as-sadr"),
        ("Straße", "strasse"),
        ("ŁÓDŹ", "łodz"),
        ("Ærø", "ærø"),
        ("Nguyễn Tấn Dũng", "nguyen tan dung"),
        ("Ελλάδα", "ελλαδα"),
        ("Москва́", "москва"),
        ("İstanbul", "istanbul"),
        ("Tartous", "tartous"),
    ])
    func folds(_ name: String, _ expected: String) {
        #expect(NameFolding.fold(name) == expected)
    }

    @Test("decomposed and precomposed spellings fold the same")
    func decomposedInput() {
        #expect(NameFolding.fold("Jose\u{301}") == NameFolding.fold("José"))
        #expect(NameFolding.fold("e\u{301}\u{302}") == "e")
    }

    @Test("a mark with nothing before it stays; marks after some capitals stay, as Foundation keeps them")
    func marksThatStay() {
        #expect(NameFolding.fold("\u{301}x") == "\u{301}x")
        #expect(NameFolding.fold("\u{531}\u{301}") == "\u{561}\u{301}")  // Armenian capital Ayb
        #expect(NameFolding.fold("a\u{654}") == "a")
    }

    @Test("the table is sorted, so the binary search finds every entry")
    func tableIsSorted() {
        #expect(zip(FoldTable.scalars, FoldTable.scalars.dropFirst()).allSatisfy { $0 < $1 })
        #expect(zip(FoldTable.keepMarksAfter, FoldTable.keepMarksAfter.dropFirst()).allSatisfy { $0 < $1 })
        #expect(FoldTable.scalars.count == FoldTable.folded.count)
        for (index, scalar) in FoldTable.scalars.enumerated() {
            #expect(NameFolding.folded(scalar) == FoldTable.folded[index])
        }
    }
}
