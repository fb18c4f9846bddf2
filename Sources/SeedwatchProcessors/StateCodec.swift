/// The binary form of processor state (the topic tracker's, the entity registry's), on
/// `BinaryWriter`'s primitives.
///
/// Hand-rolled rather than JSON: both write a few keys per document, inside the document's
/// arrival-order turn, and Foundation's JSON coders cost more than the tracking itself.
struct StateWriter {
    /// Begins every value: eight 0xFF bytes, which no value of the earlier fixed-width form can
    /// begin with (its first word is a non-negative 64-bit id, count, sequence or version), so
    /// `StateReader` tells the two forms apart and state written before still loads.
    static let compactMarker = [UInt8](repeating: 0xFF, count: 8)

    private var writer = BinaryWriter(startingWith: StateWriter.compactMarker)

    var bytes: [UInt8] { writer.buffer }

    /// A zigzag varint: ids, counts and lengths are small, and 8 bytes each made the topic state
    /// written per document about 40% length fields.
    mutating func int(_ value: Int) { writer.signedVarint(value) }

    mutating func uint64(_ value: UInt64) { int(Int(Int64(bitPattern: value))) }

    mutating func float(_ value: Float) { writer.float32(value) }

    mutating func blob(_ value: [UInt8]) {
        int(value.count)
        writer.bytes(value)
    }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        writer.bytes(value.utf8)
    }
}

/// A stored value that ends early or holds an impossible count.
struct CorruptState: Error, Sendable {
    var key: String
    var reason: String
}

/// Reads what `StateWriter` wrote; every read checks the length, so a damaged value throws.
struct StateReader {
    private var reader: BinaryReader
    /// Written by this version's `StateWriter` (varints); else the fixed-width form of earlier ones.
    private let compact: Bool
    let key: String

    init(_ bytes: [UInt8], key: String) {
        self.key = key
        compact = bytes.starts(with: StateWriter.compactMarker)
        reader = BinaryReader(bytes, from: compact ? StateWriter.compactMarker.count : 0)
    }

    var isAtEnd: Bool { reader.isAtEnd }

    mutating func int() throws -> Int {
        let compact = self.compact
        return try read { reader throws(BinaryReader.Failure) in
            compact ? try reader.signedVarint() : Int(Int64(bitPattern: try reader.uint64()))
        }
    }

    mutating func uint64() throws -> UInt64 { UInt64(bitPattern: Int64(try int())) }

    mutating func float() throws -> Float {
        try read { reader throws(BinaryReader.Failure) in try reader.float32() }
    }

    mutating func blob() throws -> [UInt8] {
        let count = try int()
        return try read { reader throws(BinaryReader.Failure) in try reader.bytes(count) }
    }

    mutating func string() throws -> String {
        String(decoding: try blob(), as: UTF8.self)
    }

    /// A non-negative count bounded by what the remaining bytes can hold: `elementSize` bytes an
    /// element in the fixed-width form, at least one in the compact form.
    mutating func count(elementSize: Int) throws -> Int {
        let count = try int()
        guard count >= 0, count <= reader.remaining / (compact ? 1 : max(1, elementSize)) else {
            throw CorruptState(key: key, reason: "bad count \(count)")
        }
        return count
    }

    private mutating func read<Value>(_ body: (inout BinaryReader) throws(BinaryReader.Failure) -> Value) throws(CorruptState) -> Value {
        do {
            return try body(&reader)
        } catch {
            throw CorruptState(key: key, reason: error == .truncated ? "truncated" : "overlong number")
        }
    }
}
