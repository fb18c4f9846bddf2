import SeedwatchCore
import Testing

/// Round trips every `ProcessorStateStore` must support, run against each implementation.
@Suite("ProcessorStateStore contract")
struct StateStoreContractTests {
    @Test("save, load, overwrite and remove", arguments: StateImplementation.all)
    func saveLoadRemove(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let store = try await implementation.open(folder).store
            #expect(try store.load(namespace: "topics", key: "model") == nil)
            try store.save(namespace: "topics", key: "model", value: [1, 2, 3])
            #expect(try store.load(namespace: "topics", key: "model") == [1, 2, 3])
            try store.save(namespace: "topics", key: "model", value: [9])
            #expect(try store.load(namespace: "topics", key: "model") == [9])
            try store.remove(namespace: "topics", key: "model")
            #expect(try store.load(namespace: "topics", key: "model") == nil)
            try store.remove(namespace: "topics", key: "never-there")
            #expect(try store.keys(namespace: "topics") == [])
        }
    }

    @Test("values are bytes: NUL, high bytes, an empty value and a large one come back intact", arguments: StateImplementation.all)
    func binaryValues(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let store = try await implementation.open(folder).store
            let value: [UInt8] = [0, 255, 0, 128, 10, 13, 0] + (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try store.save(namespace: "n", key: "blob", value: value)
            try store.save(namespace: "n", key: "empty", value: [])
            #expect(try store.load(namespace: "n", key: "blob") == value)
            #expect(try store.load(namespace: "n", key: "empty") == [])
        }
    }

    @Test("keys are sorted and namespaces kept apart", arguments: StateImplementation.all)
    func keysAndNamespaces(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let store = try await implementation.open(folder).store
            for key in ["b", "a", "c/1", "ä"] { try store.save(namespace: "one", key: key, value: [1]) }
            try store.save(namespace: "two", key: "a", value: [2])
            #expect(try store.keys(namespace: "one") == ["a", "b", "c/1", "ä"])
            #expect(try store.keys(namespace: "two") == ["a"])
            #expect(try store.keys(namespace: "three") == [])
            #expect(try store.load(namespace: "two", key: "a") == [2])
        }
    }

    @Test("a batch applies saves and removals in order: a key saved twice keeps the later value", arguments: StateImplementation.all)
    func batch(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let store = try await implementation.open(folder).store
            try store.save(namespace: "topics", key: "old", value: [7])
            try store.apply(namespace: "topics", [
                .save(key: "a", value: [1]), .save(key: "b", value: [2]), .remove(key: "old"), .save(key: "a", value: [3]),
                .save(key: "gone", value: [4]), .remove(key: "gone"),
            ])
            #expect(try store.keys(namespace: "topics") == ["a", "b"])
            #expect(try store.load(namespace: "topics", key: "a") == [3])
            try store.apply(namespace: "topics", [])
            #expect(try store.keys(namespace: "topics") == ["a", "b"])
        }
    }

    @Test("several keys at once: present ones only, repeated keys once", arguments: StateImplementation.all)
    func loadSeveral(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            let store = try await implementation.open(folder).store
            try store.apply(namespace: "n", (0..<1_200).map { .save(key: "k\($0)", value: [UInt8(truncatingIfNeeded: $0)]) })
            try store.save(namespace: "other", key: "k1", value: [99])
            let values = try store.load(namespace: "n", keys: (0..<1_300).map { "k\($0)" } + ["k1", "k1"])
            #expect(values.count == 1_200)
            #expect(values["k1"] == [1] && values["k1199"] == [UInt8(truncatingIfNeeded: 1_199)] && values["k1200"] == nil)
            #expect(try store.load(namespace: "n", keys: []) == [:])
        }
    }

    @Test("reopening keeps every value", arguments: StateImplementation.all)
    func reopen(_ implementation: StateImplementation) async throws {
        try await withTemporaryDirectory { folder in
            do {
                let store = try await implementation.open(folder).store
                try store.save(namespace: "topics", key: "k", value: [1, 2, 3])
                try store.apply(namespace: "entities", [.save(key: "e1", value: [4]), .save(key: "e2", value: [5])])
            }
            let reopened = try await implementation.open(folder).store
            #expect(try reopened.load(namespace: "topics", key: "k") == [1, 2, 3])
            #expect(try reopened.keys(namespace: "entities") == ["e1", "e2"])
        }
    }
}
