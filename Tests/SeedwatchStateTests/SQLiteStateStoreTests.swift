import Testing
import SeedwatchCore
@testable import SeedwatchState

@Suite("SQLiteStateStore")
struct SQLiteStateStoreTests {
    private func withStore(_ body: (SQLiteStateStore) throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let ledger = try SQLiteLedger(stateDirectory: folder)
            try body(SQLiteStateStore(database: ledger.database))
        }
    }

    @Test("apply writes saves and removals in order, in one transaction, like the separate calls")
    func applyBatch() async throws {
        try await withStore { store in
            try store.save(namespace: "topics", key: "old", value: [7])
            try store.apply(namespace: "topics", [
                .save(key: "a", value: [1]), .save(key: "b", value: [2]), .remove(key: "old"), .save(key: "a", value: [3]),
            ])
            #expect(try store.keys(namespace: "topics") == ["a", "b"])
            #expect(try store.load(namespace: "topics", key: "a") == [3])
            #expect(try store.load(namespace: "topics", key: "b") == [2])
            try store.apply(namespace: "topics", [])
            #expect(try store.keys(namespace: "other") == [])
        }
    }

    @Test("apply: a key saved twice in a row keeps the later value; more saves than one statement takes")
    func applyManySaves() async throws {
        try await withStore { store in
            try store.apply(namespace: "n", [.save(key: "x", value: [1]), .save(key: "y", value: [2]), .save(key: "x", value: [3])])
            #expect(try store.load(namespace: "n", key: "x") == [3])
            let many = (0..<(607)).map { ProcessorStateChange.save(key: "m\($0)", value: [UInt8(truncatingIfNeeded: $0)]) }
            try store.apply(namespace: "n", many + [.remove(key: "m3"), .save(key: "m4", value: [44]), .remove(key: "y")])
            let keys = try store.keys(namespace: "n")
            // x, y and the m keys, less m3 and y.
            #expect(keys.count == 2 + (607) - 2)
            #expect(!keys.contains("m3") && !keys.contains("y"))
            #expect(try store.load(namespace: "n", key: "m4") == [44])
            #expect(try store.load(namespace: "n", key: "m606") == [UInt8(truncatingIfNeeded: 606)])
        }
    }

    @Test("load of several keys: present ones only, repeated keys once, beyond one query's parameters")
    func loadSeveralKeys() async throws {
        try await withStore { store in
            try store.apply(namespace: "n", (0..<1_200).map { .save(key: "k\($0)", value: [UInt8(truncatingIfNeeded: $0)]) })
            try store.save(namespace: "other", key: "k1", value: [99])
            let wanted = (0..<1_300).map { "k\($0)" } + ["k1", "k1"]
            let values = try store.load(namespace: "n", keys: wanted)
            #expect(values.count == 1_200)
            #expect(values["k1"] == [1] && values["k1199"] == [UInt8(truncatingIfNeeded: 1_199)] && values["k1200"] == nil)
            #expect(try store.load(namespace: "n", keys: []) == [:])
            #expect(try MemoryStateStore().load(namespace: "n", keys: ["a"]) == [:])
        }
    }

    @Test("values are bytes: NUL, high bytes and large values come back intact")
    func binaryValues() async throws {
        try await withStore { store in
            let value: [UInt8] = [0, 255, 0, 128, 10, 13, 0] + (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try store.save(namespace: "n", key: "blob", value: value)
            #expect(try store.load(namespace: "n", key: "blob") == value)
        }
    }

    @Test("an empty value is stored and loads as empty, not as missing")
    func emptyValue() async throws {
        try await withStore { store in
            try store.save(namespace: "n", key: "empty", value: [])
            #expect(try store.load(namespace: "n", key: "empty") == [])
            #expect(try store.keys(namespace: "n") == ["empty"])
        }
    }

    @Test("keys are sorted and namespaces kept apart")
    func keysAndNamespaces() async throws {
        try await withStore { store in
            for key in ["b", "a", "c/1", "ä"] { try store.save(namespace: "one", key: key, value: [1]) }
            try store.save(namespace: "two", key: "a", value: [2])
            #expect(try store.keys(namespace: "one") == ["a", "b", "c/1", "ä"])
            #expect(try store.keys(namespace: "two") == ["a"])
            #expect(try store.keys(namespace: "three") == [])
            #expect(try store.load(namespace: "two", key: "a") == [2])
            #expect(try store.load(namespace: "one", key: "a") == [1])
        }
    }
}
