import Testing
@testable import SeedwatchText

/// NFC without the standard library's underscored entry point (`CanonicalComposition`): checked
/// against what the standard library itself says publicly, canonical equivalence (String's `==`)
/// and `UTF8Span.checkForNFC`. The NFC of a string is the one canonically equivalent string in NFC.
@Suite struct TextNormalizerCompositionTests {
    private func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    private func isNFC(_ text: String) -> Bool {
        var span = text.utf8Span
        return span.checkForNFC(quickCheck: false)
    }

    @Test func composesAMarkAfterItsLetter() {
        #expect(scalars(TextNormalizer.normalize("cafe\u{301}")) == scalars("caf\u{E9}"))
        #expect(scalars(TextNormalizer.normalize("Zu\u{308}rich and A\u{30A}rhus")) == scalars("Z\u{FC}rich and \u{C5}rhus"))
    }

    @Test func composesHangulJamoIntoSyllables() {
        #expect(scalars(CanonicalComposition.nfc("\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}")) == [0xD55C, 0xAE00])
        #expect(scalars(CanonicalComposition.nfc("\u{AC00}\u{11A8}")) == [0xAC01])  // LV syllable + trailing consonant
        #expect(scalars(CanonicalComposition.nfc("\u{AC01}\u{11A8}")) == [0xAC01, 0x11A8])  // LVT takes no more
    }

    @Test func ordersMarksByCombiningClassBeforeComposing() {
        // Dot below (class 220) and circumflex (230) in either order: one scalar, ậ.
        #expect(scalars(CanonicalComposition.nfc("a\u{323}\u{302}")) == [0x1EAD])
        #expect(scalars(CanonicalComposition.nfc("a\u{302}\u{323}")) == [0x1EAD])
        // Diaeresis and macron are both of class 230: order kept, composed step by step, so the
        // two orders give two different letters (Ǖ, Ṻ).
        #expect(scalars(CanonicalComposition.nfc("U\u{308}\u{304}")) == [0x1D5])
        #expect(scalars(CanonicalComposition.nfc("U\u{304}\u{308}")) == [0x1E7A])
        // A second acute is blocked by the first (same class): it stays a mark.
        #expect(scalars(CanonicalComposition.nfc("a\u{301}\u{301}")) == [0xE1, 0x301])
        // Cedilla (202) moves before the acute (230) and composes first; ḉ.
        #expect(scalars(CanonicalComposition.nfc("c\u{301}\u{327}")) == [0x1E09])
    }

    @Test func decomposesSingletonsAndExclusions() {
        #expect(scalars(CanonicalComposition.nfc("\u{212B}")) == [0xC5])  // ANGSTROM SIGN
        #expect(scalars(CanonicalComposition.nfc("\u{2126}")) == [0x3A9])  // OHM SIGN
        #expect(scalars(CanonicalComposition.nfc("\u{958}")) == [0x915, 0x93C])  // excluded from composition
    }

    @Test func keepsTheStandardLibrarysOrderAroundTibetanVowelSigns() {
        // U+0F81 is of class 0 but decomposes to marks: the standard library's NFC, which the
        // normaliser used before, does not move later marks before it.
        #expect(scalars(CanonicalComposition.nfc("\u{31A}\u{1DC4}\u{F81}\u{1CE6}\u{655}")) == [0x1DC4, 0x31A, 0x1CE6, 0xF71, 0xF80, 0x655])
    }

    @Test func everyScalarAloneComesOutCanonicallyEquivalentAndInNFC() {
        var failures: [String] = []
        var checked = 0
        for value in UInt32(0xC0)..<0x110000 {
            // Unassigned, private-use and the unified ideographs and syllables have no decomposition.
            guard let scalar = Unicode.Scalar(value),
                  !(0x3400...0x9FFF).contains(value), !(0xAC00...0xD7A3).contains(value), !(0x20000...0x2F7FF).contains(value),
                  !(0x30000...0x3FFFF).contains(value), value < 0xF0000,
                  scalar.properties.generalCategory != .unassigned else { continue }
            let text = String(scalar)
            let composed = CanonicalComposition.nfc(text)
            if composed != text || !isNFC(composed) { failures.append(String(value, radix: 16)) }
            checked += 1
        }
        #expect(checked > 50_000)
        #expect(failures.isEmpty, "\(failures.prefix(20))")
    }

    @Test func everyCompositionPairComposes() {
        var failures: [String] = []
        for index in CompositionTable.composites.indices {
            let composite = CompositionTable.composites[index]
            let pair = [CompositionTable.first[index], CompositionTable.second[index]].compactMap(Unicode.Scalar.init)
            let text = String(String.UnicodeScalarView(pair))
            if pair.count != 2 || scalars(CanonicalComposition.nfc(text)) != [composite] { failures.append(String(composite, radix: 16)) }
        }
        #expect(CompositionTable.composites.count > 900)
        #expect(failures.isEmpty, "\(failures.prefix(20))")
    }
}
