import Testing
@testable import SeedwatchProcessors

/// The gazetteer stores the beginnings of its names so a match stops early; matches are the same
/// as with a gazetteer that looks at every length (a model file written before the beginnings were).
@Suite struct GazetteerTests {
    static func lower(_ text: String) -> [UInt64] { text.split(separator: " ").map { TokenTraits(String($0)).lower } }

    @Test func storedBeginningsChangeNoMatch() {
        var gazetteer = Gazetteer()
        gazetteer.insert(lowerHashes: Self.lower("new york city"), typeIndex: 0)
        gazetteer.insert(lowerHashes: Self.lower("york"), typeIndex: 2)
        gazetteer.insert(lowerHashes: Self.lower("new south wales"), typeIndex: 0 + Gazetteer.externalBit)
        #expect(gazetteer.nameCount == 3)
        #expect(gazetteer.entries.count == 6)  // and the beginnings "new", "new york", "new south"
        // The same names as a model file without the beginnings holds them.
        let without = Gazetteer(entries: gazetteer.entries.filter { $0.value != 0 }, maxLength: gazetteer.maxLength)
        let sentence = "In New York City and New South Wales , York and new york city ( lower case ) ."
            .split(separator: " ").map { TokenTraits(String($0)) }
        let marks = gazetteer.match(sentence)
        #expect(marks == without.match(sentence))
        #expect(marks[1] == 1 << 0)  // "New" begins a LOC name
        #expect(marks[3] == 1 << 2)  // "City" ends it
        #expect(marks[5] == 1 << UInt32(Gazetteer.externalBit * 4))  // "New" begins an external LOC name
        #expect(marks[9] == 1 << UInt32(2 * 4 + 3))  // "York" alone: an ORG unit
        #expect(marks[11...].allSatisfy { $0 == 0 })  // no capital, no match
    }
}
