/// A small binary encoding for processor state (the topic tracker's, the entity registry's).
///
/// Hand-rolled rather than JSON: both write a few keys per document, inside the document's
/// arrival-order turn, and Foundation's JSON coders cost more than the tracking itself.
struct StateWriter {
    /// Begins every value: eight 0xFF bytes, which no value of the earlier fixed-width form can
    /// begin with (its first word is a non-negative 64-bit id, count, sequence or version), so
    /// `StateReader` tells the two forms apart and state written before still loads.
    static let compactMarker = [UInt8](repeating: 0xFF, count: 8)

    private(set) var bytes: [UInt8] = StateWriter.compactMarker

    /// A zigzag LEB128 varint: ids, counts and lengths are small, and 8 bytes each made the
    /// topic state written per document about 40% length fields.
    mutating func int(_ value: Int) {
        var rest = UInt64(bitPattern: Int64(value) << 1 ^ Int64(value) >> 63)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func uint64(_ value: UInt64) { int(Int(Int64(bitPattern: value))) }

    mutating func float(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func blob(_ value: [UInt8]) {
        int(value.count)
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }
}

/// A stored value that ends early or holds an impossible count.
struct CorruptState: Error, Sendable {
    var key: String
    var reason: String
}

/// Reads what `StateWriter` wrote; every read checks the length, so a damaged value throws.
struct StateReader {
    private let bytes: [UInt8]
    private var offset: Int
    /// Written by this version's `StateWriter` (varints); else the fixed-width form of earlier ones.
    private let compact: Bool
    let key: String

    init(_ bytes: [UInt8], key: String) {
        self.bytes = bytes
        self.key = key
        compact = bytes.starts(with: StateWriter.compactMarker)
        offset = compact ? StateWriter.compactMarker.count : 0
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func int() throws -> Int {
        compact ? try varint() : try fixedWidth()
    }

    private mutating func varint() throws -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw CorruptState(key: key, reason: "truncated") }
            let byte = bytes[offset]
            offset += 1
            // The tenth byte holds the last bit of 64; more is not a number this writer made.
            guard shift < 63 || byte <= 1 else { throw CorruptState(key: key, reason: "overlong number") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1))
    }

    private mutating func fixedWidth() throws -> Int {
        guard offset + 8 <= bytes.count else { throw CorruptState(key: key, reason: "truncated") }
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[offset + i]) }
        offset += 8
        return Int(Int64(bitPattern: v))
    }

    mutating func uint64() throws -> UInt64 { UInt64(bitPattern: Int64(try int())) }

    mutating func float() throws -> Float {
        guard offset + 4 <= bytes.count else { throw CorruptState(key: key, reason: "truncated") }
        var v: UInt32 = 0
        for i in (0..<4).reversed() { v = v << 8 | UInt32(bytes[offset + i]) }
        offset += 4
        return Float(bitPattern: v)
    }

    mutating func blob() throws -> [UInt8] {
        let count = try int()
        guard count >= 0, count <= bytes.count - offset else { throw CorruptState(key: key, reason: "truncated") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func string() throws -> String {
        let count = try int()
        // Compared with what is left, not added to the offset: a damaged length near Int.max would overflow.
        guard count >= 0, count <= bytes.count - offset else { throw CorruptState(key: key, reason: "truncated") }
        defer { offset += count }
        return String(decoding: bytes[offset..<(offset + count)], as: UTF8.self)
    }

    /// A non-negative count bounded by what the remaining bytes can hold: `elementSize` bytes an
    /// element in the fixed-width form, at least one in the compact form.
    mutating func count(elementSize: Int) throws -> Int {
        let count = try int()
        guard count >= 0, count <= (bytes.count - offset) / (compact ? 1 : max(1, elementSize)) else {
            throw CorruptState(key: key, reason: "bad count \(count)")
        }
        return count
    }
}
