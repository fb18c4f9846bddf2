/// A small binary encoding for processor state (the topic tracker's, the entity registry's).
///
/// Hand-rolled rather than JSON: both write a few keys per document, inside the document's
/// arrival-order turn, and Foundation's JSON coders cost more than the tracking itself.
struct StateWriter {
    private(set) var bytes: [UInt8] = []

    // Whole little-endian words and the string's UTF-8 appended at once: the same bytes as one
    // append per byte, without a temporary array per string (state is written for every document).
    mutating func int(_ value: Int) {
        withUnsafeBytes(of: UInt64(bitPattern: Int64(value)).littleEndian) { bytes.append(contentsOf: $0) }
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
    private var offset = 0
    let key: String

    init(_ bytes: [UInt8], key: String) {
        self.bytes = bytes
        self.key = key
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func int() throws -> Int {
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
        guard count >= 0, offset + count <= bytes.count else { throw CorruptState(key: key, reason: "truncated") }
        defer { offset += count }
        return String(decoding: bytes[offset..<(offset + count)], as: UTF8.self)
    }

    /// A non-negative count bounded by what the remaining bytes can hold.
    mutating func count(elementSize: Int) throws -> Int {
        let count = try int()
        guard count >= 0, count <= (bytes.count - offset) / max(1, elementSize) else {
            throw CorruptState(key: key, reason: "bad count \(count)")
        }
        return count
    }
}
