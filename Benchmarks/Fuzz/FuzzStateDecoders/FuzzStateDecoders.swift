// libFuzzer target: the decoders of stored processor state, as a damaged or hostile state database
// would feed them. The first byte picks what is fuzzed:
//   0: `StateReader` reading a script of values (the rest: op count, ops, then the stored bytes);
//   1: an entity registry entry (`EntityRegistry.decodeEntry`, binary or earlier JSON form);
//   2: a topic tracker restored from a store of fuzzed keys and values, then used once.
// Built only with SEEDWATCH_FUZZ=1 and -enable-testing (fuzz.sh). SEEDWATCH_FUZZ_SEEDS=DIR writes
// valid inputs of each kind to DIR first (fuzz.sh seeds the corpus with them).
import FuzzSupport
import Glibc
import SeedwatchCore
@testable import SeedwatchProcessors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStateDecoders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 3 {
    case 0: fuzzReader(rest)
    case 1: fuzzEntry(rest)
    default: fuzzTopics(rest)
    }
    return 0
}

// MARK: StateReader

private enum StoredValue: Equatable {
    case int(Int), float(UInt32), blob([UInt8]), string(String), count(Int)
}

/// Reads the values `ops` name until one throws; what was read, written again by `StateWriter` and
/// read by the same ops, gives the same values.
private func fuzzReader(_ bytes: [UInt8]) {
    guard let opCount = bytes.first else { return }
    let ops = Array(bytes.dropFirst().prefix(Int(opCount)))
    let stored = Array(bytes.dropFirst(1 + ops.count))
    let first = readValues(stored, ops: ops)
    var writer = StateWriter()
    for value in first {
        switch value {
        case .int(let v), .count(let v): writer.int(v)
        case .float(let bits): writer.float(Float(bitPattern: bits))
        case .blob(let v): writer.blob(v)
        case .string(let v): writer.string(v)
        }
    }
    // Padding: a count is checked against the bytes left, and the first read had `stored` after it.
    let again = readValues(writer.bytes + [UInt8](repeating: 0, count: stored.count), ops: Array(ops.prefix(first.count)))
    if again != first { fuzzInvariantBroken("values read, written and read again differ") }
}

private func readValues(_ stored: [UInt8], ops: [UInt8]) -> [StoredValue] {
    var reader = StateReader(stored, key: "fuzz")
    var values: [StoredValue] = []
    do {
        for op in ops {
            switch op % 5 {
            case 0: values.append(.int(try reader.int()))
            case 1: values.append(.float(try reader.float().bitPattern))
            case 2: values.append(.blob(try reader.blob()))
            case 3: values.append(.string(try reader.string()))
            default: values.append(.count(try reader.count(elementSize: Int(op / 5) + 1)))
            }
        }
    } catch {}
    return values
}

// MARK: Entity registry entries

/// An entry that decodes encodes to bytes that decode to the same entry.
private func fuzzEntry(_ bytes: [UInt8]) {
    guard let id = bytes.first else { return }
    guard let entry = EntityRegistry.decodeEntry(Array(bytes.dropFirst()), id: Int(id)) else { return }
    let encoded = EntityRegistry.encodeEntry(entry)
    guard let again = EntityRegistry.decodeEntry(encoded, id: Int(id)) else { fuzzInvariantBroken("a re-encoded entry does not decode") }
    if EntityRegistry.encodeEntry(again) != encoded { fuzzInvariantBroken("an entry changes through encode and decode") }
}

// MARK: Topic tracker state

/// No background statistics: restoring reads the same state either way, and building a tracker on the
/// shipped model costs tens of milliseconds, which would keep the run far from a million inputs.
private let background = BackgroundModel.empty

/// Key families the tracker stores, picked by a byte; the number after the slash by the next.
private let keyFamilies = ["meta", "df/documents", "df/", "story/", "theme/", "runs/", "split", "dup/", "recent/", "log/", "dfd/"]

/// Records of [family, number, length (2 bytes, little-endian), value] into a store.
private func store(from bytes: [UInt8]) -> MemoryStateStore {
    let store = MemoryStateStore()
    var offset = 0
    while offset + 4 <= bytes.count {
        let family = keyFamilies[Int(bytes[offset]) % keyFamilies.count]
        let key = family.hasSuffix("/") ? family + String(bytes[offset + 1]) : family
        let length = Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8
        let value = Array(bytes[(offset + 4)..<min(bytes.count, offset + 4 + length)])
        try? store.save(namespace: TopicTracker.namespace, key: key, value: value)
        offset += 4 + length
    }
    return store
}

/// A restore either refuses the state or gives a tracker that takes a document, and the state that
/// tracker writes restores again. Without a `meta` key (a checkpoint) or a `log/` row (a document
/// since) the store holds no state and nothing else is read, so there is nothing to check.
private func fuzzTopics(_ bytes: [UInt8]) {
    let state = store(from: bytes)
    let keys = (try? state.keys(namespace: TopicTracker.namespace)) ?? []
    guard keys.contains(where: { $0 == "meta" || $0.hasPrefix("log/") }),
          let tracker = try? TopicTracker(background: background, store: state) else { return }
    runBlocking {
        do {
            _ = try await tracker.observe(TopicObservation(id: "fuzz", text: sampleArticle))
            try await tracker.checkpoint()
        } catch {
            fuzzInvariantBroken("a restored tracker failed on a document: \(error)")
        }
    }
    do {
        _ = try TopicTracker(background: background, store: state)
    } catch {
        fuzzInvariantBroken("state written by a restored tracker does not restore: \(error)")
    }
}

private let sampleArticle = "Harbour tram line approved. The council of Westport approved the harbour tram line on Monday; "
    + "officials expect ten thousand riders a day once it opens in May."

// MARK: Seeds

/// Valid inputs of each kind, so the fuzzer starts from state the code really writes.
private func writeSeeds(to folder: String) {
    var writer = StateWriter()
    writer.int(42)
    writer.string("Westport")
    writer.blob([1, 2, 3])
    writer.float(0.5)
    writer.int(2)
    let ops: [UInt8] = [0, 3, 2, 1, 4]
    write([0, UInt8(ops.count)] + ops + writer.bytes, to: folder + "/reader")

    let entry = EntityRegistry.Entry(id: 7, name: "Anna Berg", type: "PERSON", aliases: ["Berg"], documents: 3,
                                     typeVotes: ["PERSON": 4, "ORGANIZATION": 1])
    write([1, 7] + EntityRegistry.encodeEntry(entry), to: folder + "/entry")

    let state = MemoryStateStore()
    runBlocking {
        do {
            let tracker = try TopicTracker(background: background, store: state)
            for (index, text) in [sampleArticle, sampleArticle + " The mayor welcomed it.", "Glacier survey finds retreat."].enumerated() {
                _ = try await tracker.observe(TopicObservation(id: "seed-\(index)", text: text))
            }
            try await tracker.checkpoint()
            // One document after the checkpoint, so the seed also holds a `log/` row (and its `dfd/` deltas later).
            _ = try await tracker.observe(TopicObservation(id: "seed-3", text: "Westport council votes on the harbour tram budget."))
        } catch {
            fuzzInvariantBroken("writing the topic seed failed: \(error)")
        }
    }
    var records: [UInt8] = [2]
    for key in (try? state.keys(namespace: TopicTracker.namespace)) ?? [] {
        guard let value = try? state.load(namespace: TopicTracker.namespace, key: key), value.count <= 0xFFFF else { continue }
        let slash = key.firstIndex(of: "/")
        let family = slash.map { String(key[...$0]) } ?? key
        guard let familyIndex = keyFamilies.firstIndex(of: key) ?? keyFamilies.firstIndex(of: family) else { continue }
        let number = slash.flatMap { UInt8(key[key.index(after: $0)...]) } ?? 0
        records += [UInt8(familyIndex), number, UInt8(value.count & 0xFF), UInt8(value.count >> 8)] + value
    }
    write(records, to: folder + "/topics")
}

private func write(_ bytes: [UInt8], to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { fuzzInvariantBroken("cannot write the seed \(path)") }
    defer { close(fd) }
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
}

/// SwiftPM renames this executable's `main` to `FuzzStateDecoders_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzStateDecoders_main")
public func FuzzStateDecodersMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    if let folder = getenv("SEEDWATCH_FUZZ_SEEDS") {
        writeSeeds(to: String(cString: folder))
        return 0
    }
    return runFuzzDriver(argc, argv, fuzzStateDecoders)
}
