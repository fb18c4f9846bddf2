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
        var w = ByteWriter()
        w.bytes(magic)
        w.u8(version)
        w.varint(UInt64(model.scheme.types.count))
        for type in model.scheme.types { w.string(type) }
        w.varint(UInt64(model.hashBits))
        w.varint(UInt64(model.transitions.count))
        for value in model.transitions { w.f32(value) }
        w.varint(UInt64(model.rowCount))
        let tagCount = model.scheme.count
        var previous = 0
        for (row, bucket) in model.index.bucketsWithRows.enumerated() {
            w.varint(UInt64(bucket - previous))
            previous = bucket
            w.f32(model.scale(ofRow: row))
            for tag in 0..<tagCount { w.u8(UInt8(bitPattern: model.weight(row: row, tag: tag))) }
        }
        w.varint(UInt64(model.gazetteer.maxLength))
        w.varint(UInt64(model.gazetteer.entries.count))
        for (key, mask) in model.gazetteer.entries.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            w.u8(mask)
        }
        w.varint(UInt64(model.lexicon.entries.count))
        for (key, packed) in model.lexicon.entries.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            w.varint(UInt64(packed))
        }
        return w.buffer
    }

    static func decode(_ bytes: [UInt8]) throws(NERModelError) -> NERModel {
        var r = ByteReader(bytes)
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
        lexicon.entries.reserveCapacity(wordCount)
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

struct ByteWriter {
    var buffer: [UInt8] = []

    mutating func bytes(_ b: [UInt8]) { buffer.append(contentsOf: b) }
    mutating func u8(_ v: UInt8) { buffer.append(v) }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { buffer.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
    mutating func f32(_ v: Float) {
        let bits = v.bitPattern
        for i in 0..<4 { buffer.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
    }
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            buffer.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        buffer.append(UInt8(v))
    }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        varint(UInt64(utf8.count))
        bytes(utf8)
    }
}

struct ByteReader {
    let data: [UInt8]
    var position = 0

    init(_ data: [UInt8]) { self.data = data }

    mutating func u8() throws(NERModelError) -> UInt8 {
        guard position < data.count else { throw .truncated }
        defer { position += 1 }
        return data[position]
    }
    mutating func bytes(_ n: Int) throws(NERModelError) -> [UInt8] {
        guard n >= 0, data.count - position >= n else { throw .truncated }
        defer { position += n }
        return Array(data[position..<(position + n)])
    }
    mutating func u64() throws(NERModelError) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(try u8()) << (8 * UInt64(i)) }
        return v
    }
    mutating func f32() throws(NERModelError) -> Float {
        var bits: UInt32 = 0
        for i in 0..<4 { bits |= UInt32(try u8()) << (8 * UInt32(i)) }
        let value = Float(bitPattern: bits)
        guard value.isFinite else { throw .corrupt("non-finite weight") }
        return value
    }
    mutating func varint() throws(NERModelError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
            guard shift < 64 else { throw .corrupt("varint too long") }
        }
    }
    /// A varint that must not exceed `max` (guards allocations against corrupt sizes).
    mutating func count(max: Int) throws(NERModelError) -> Int {
        let v = try varint()
        guard v <= UInt64(max) else { throw .corrupt("count \(v) exceeds \(max)") }
        return Int(v)
    }
    mutating func string() throws(NERModelError) -> String {
        let n = try count(max: 256)
        return String(decoding: try bytes(n), as: UTF8.self)
    }
}
