/// The model file format: a small binary layout, little-endian, versioned, checked on read.
///
/// Layout: magic `SWNER` + version byte; tag types; hash bits; transitions (Float32); rows as
/// (bucket delta varint, scale Float32, tagCount × Int8); gazetteer (UInt64 key, UInt8 mask);
/// word lexicon (UInt64 key, varint classes).
/// A truncated or foreign file is an `NERModelError`, never a crash.
enum ModelCodec {
    static let magic: [UInt8] = Array("SWNER".utf8)
    static let version: UInt8 = 2

    static func encode(_ model: NERModel) -> [UInt8] {
        var w = BinaryWriter()
        w.bytes(magic)
        w.byte(version)
        w.unsignedVarint(UInt64(model.scheme.types.count))
        for type in model.scheme.types { w.modelString(type) }
        w.unsignedVarint(UInt64(model.hashBits))
        w.unsignedVarint(UInt64(model.transitions.count))
        for value in model.transitions { w.float32(value) }
        w.unsignedVarint(UInt64(model.rowCount))
        let tagCount = model.scheme.count
        var previous = 0
        for (row, bucket) in model.index.bucketsWithRows.enumerated() {
            w.unsignedVarint(UInt64(bucket - previous))
            previous = bucket
            w.float32(model.scale(ofRow: row))
            for tag in 0..<tagCount { w.byte(UInt8(bitPattern: model.weight(row: row, tag: tag))) }
        }
        w.unsignedVarint(UInt64(model.gazetteer.maxLength))
        w.unsignedVarint(UInt64(model.gazetteer.entries.count))
        for (key, mask) in model.gazetteer.entries.sorted(by: { $0.key < $1.key }) {
            w.uint64(key)
            w.byte(mask)
        }
        w.unsignedVarint(UInt64(model.lexicon.entries.count))
        for (key, packed) in model.lexicon.entries.sortedPairs {
            w.uint64(key)
            w.unsignedVarint(UInt64(packed))
        }
        return w.buffer
    }

    static func decode(_ bytes: [UInt8]) throws(NERModelError) -> NERModel {
        var r = ModelReader(bytes)
        guard try r.bytes(magic.count) == magic else { throw .notAModel }
        let fileVersion = try r.u8()
        guard fileVersion == version else { throw .unsupportedVersion(Int(fileVersion)) }
        let typeCount = try r.count(max: 8)
        var types: [String] = []
        for _ in 0..<typeCount { types.append(try r.string()) }
        let scheme = TagScheme(types: types)
        let hashBits = try r.count(max: 24)
        guard hashBits >= 8 else { throw .corrupt("hash bits \(hashBits)") }
        let transitionCount = try r.count(max: 1 << 16)
        guard transitionCount == (scheme.count + 1) * scheme.count else { throw .corrupt("transition table size") }
        var transitions: [Float] = []
        transitions.reserveCapacity(transitionCount)
        for _ in 0..<transitionCount { transitions.append(try r.f32()) }
        let buckets = 1 << hashBits
        let rowCount = try r.count(max: buckets)
        let tagCount = scheme.count
        var index = BucketIndex(bucketCount: buckets)
        var rows = [Int8](repeating: 0, count: rowCount * tagCount)
        var scales = [Float](repeating: 0, count: rowCount)
        var bucket = 0
        for row in 0..<rowCount {
            bucket += try r.count(max: buckets)
            // A repeated bucket (delta 0 after the first row) would shift every later row.
            guard index.append(bucket) else { throw .corrupt("bucket out of range or repeated") }
            scales[row] = try r.f32()
            for tag in 0..<tagCount { rows[row * tagCount + tag] = Int8(bitPattern: try r.u8()) }
        }
        let maxLength = try r.count(max: 64)
        let entryCount = try r.count(max: bytes.count)
        var entries: [UInt64: UInt8] = [:]
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount {
            let key = try r.u64()
            entries[key] = try r.u8()
        }
        let wordCount = try r.count(max: bytes.count)
        var lexicon = WordLexicon()
        lexicon.entries = HashedKeyMap(minimumCapacity: wordCount)
        for _ in 0..<wordCount {
            let key = try r.u64()
            lexicon.entries[key] = UInt32(truncatingIfNeeded: try r.count(max: 1 << 22))
        }
        return NERModel(
            scheme: scheme, hashBits: hashBits, transitions: transitions, index: index, rows: rows,
            scales: scales, gazetteer: Gazetteer(entries: entries, maxLength: maxLength), lexicon: lexicon
        )
    }
}

/// Why a model file could not be used.
public enum NERModelError: Error, Sendable, CustomStringConvertible, Equatable {
    case notAModel
    case unsupportedVersion(Int)
    case truncated
    case corrupt(String)

    public var description: String {
        switch self {
        case .notAModel: "not a seedwatch NER model (bad magic)"
        case let .unsupportedVersion(v): "NER model format version \(v) is not supported (expected \(ModelCodec.version))"
        case .truncated: "NER model file is truncated"
        case let .corrupt(what): "NER model file is corrupt: \(what)"
        }
    }
}

/// The model file's reads: `BinaryReader`'s, with its failures in the model's terms, and the
/// checks a model file needs (finite weights, bounded counts).
private struct ModelReader {
    private var reader: BinaryReader

    init(_ data: [UInt8]) { reader = BinaryReader(data) }

    mutating func u8() throws(NERModelError) -> UInt8 { try read { reader throws(BinaryReader.Failure) in try reader.byte() } }

    mutating func bytes(_ count: Int) throws(NERModelError) -> [UInt8] {
        try read { reader throws(BinaryReader.Failure) in try reader.bytes(count) }
    }

    mutating func u64() throws(NERModelError) -> UInt64 { try read { reader throws(BinaryReader.Failure) in try reader.uint64() } }

    mutating func f32() throws(NERModelError) -> Float {
        let value = try read { reader throws(BinaryReader.Failure) in try reader.float32() }
        guard value.isFinite else { throw .corrupt("non-finite weight") }
        return value
    }

    /// A varint that must not exceed `max` (guards allocations against corrupt sizes).
    mutating func count(max: Int) throws(NERModelError) -> Int {
        let value = try read { reader throws(BinaryReader.Failure) in try reader.unsignedVarint() }
        guard value <= UInt64(max) else { throw .corrupt("count \(value) exceeds \(max)") }
        return Int(value)
    }

    mutating func string() throws(NERModelError) -> String {
        let count = try count(max: 256)
        return String(decoding: try bytes(count), as: UTF8.self)
    }

    private mutating func read<Value>(_ body: (inout BinaryReader) throws(BinaryReader.Failure) -> Value) throws(NERModelError) -> Value {
        do {
            return try body(&reader)
        } catch {
            throw error == .truncated ? .truncated : .corrupt("varint too long")
        }
    }
}

extension BinaryWriter {
    /// A model file's string: its UTF-8 length as an unsigned varint, then the bytes.
    mutating func modelString(_ value: String) {
        unsignedVarint(UInt64(value.utf8.count))
        bytes(value.utf8)
    }
}
