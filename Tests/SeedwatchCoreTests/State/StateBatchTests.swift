import SeedwatchCore
import Testing

/// A batch keeps each path and key once, by bytes: names that differ only in Unicode
/// normalisation are two files and two keys, as the file system and the database see them.
@Suite("StateBatch")
struct StateBatchTests {
    static let composed = "caf\u{E9}.txt"
    static let decomposed = "cafe\u{301}.txt"

    @Test("two ledger rows whose paths differ only in normalisation both stay; a later row for the same bytes replaces the earlier")
    func ledgerRowsByBytes() {
        #expect(Self.composed == Self.decomposed)  // why String keys merged them
        var batch = StateBatch()
        batch.add(LedgerEntry(path: Self.composed, size: 1, modifiedNanoseconds: 1, sha256: "a", status: .processed))
        batch.add(LedgerEntry(path: Self.decomposed, size: 2, modifiedNanoseconds: 2, sha256: "b", status: .processed))
        batch.add(LedgerEntry(path: Self.composed, size: 3, modifiedNanoseconds: 3, sha256: "c", status: .processed))
        #expect(batch.ledgerEntries.map(\.sha256).sorted() == ["b", "c"])
        #expect(batch.ledgerEntries.map { Array($0.path.utf8) }.contains(Array(Self.decomposed.utf8)))
    }

    @Test("processor state keys that differ only in normalisation are two keys, ordered by bytes")
    func keysByBytes() {
        var batch = StateBatch()
        batch.add(namespace: "entities", [.save(key: Self.composed, value: [1]), .save(key: Self.decomposed, value: [2])])
        #expect(batch.saves.count == 2)
        #expect(batch.saves.map(\.key.key).map { Array($0.utf8) } == [Array(Self.decomposed.utf8), Array(Self.composed.utf8)])
    }
}
