/// The primitives of every binary form seedwatch stores (processor state, the NER model file):
/// little-endian fixed widths and LEB128 varints, every read checked against the length.
struct BinaryWriter {
    private(set) var buffer: [UInt8]

    init(startingWith prefix: [UInt8] = []) {
        buffer = prefix
    }

    mutating func byte(_ value: UInt8) { buffer.append(value) }

    mutating func bytes(_ value: some Sequence<UInt8>) { buffer.append(contentsOf: value) }

    mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    mutating func float32(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// LEB128: seven bits a byte, low bits first.
    mutating func unsignedVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        buffer.append(UInt8(rest))
    }

    /// Zigzag, then LEB128: small magnitudes of either sign take one byte.
    mutating func signedVarint(_ value: Int) {
        unsignedVarint(UInt64(bitPattern: Int64(value) << 1 ^ Int64(value) >> 63))
    }
}

/// Reads what `BinaryWriter` wrote; a read past the end or an impossible number throws.
struct BinaryReader {
    enum Failure: Error, Sendable, Equatable {
        case truncated
        /// A varint longer than any 64-bit value needs.
        case overlongNumber
    }

    private let data: [UInt8]
    private(set) var offset: Int

    init(_ data: [UInt8], from offset: Int = 0) {
        self.data = data
        self.offset = offset
    }

    var isAtEnd: Bool { offset == data.count }
    var remaining: Int { data.count - offset }

    mutating func byte() throws(Failure) -> UInt8 {
        guard offset < data.count else { throw .truncated }
        defer { offset += 1 }
        return data[offset]
    }

    mutating func bytes(_ count: Int) throws(Failure) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw .truncated }
        defer { offset += count }
        return Array(data[offset..<(offset + count)])
    }

    mutating func uint64() throws(Failure) -> UInt64 {
        guard remaining >= 8 else { throw .truncated }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(data[offset + index]) }
        offset += 8
        return value
    }

    mutating func float32() throws(Failure) -> Float {
        guard remaining >= 4 else { throw .truncated }
        var bits: UInt32 = 0
        for index in (0..<4).reversed() { bits = bits << 8 | UInt32(data[offset + index]) }
        offset += 4
        return Float(bitPattern: bits)
    }

    mutating func unsignedVarint() throws(Failure) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            // The tenth byte holds the last bit of 64; more is not a number a writer made.
            guard shift < 63 || byte <= 1 else { throw .overlongNumber }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signedVarint() throws(Failure) -> Int {
        let value = try unsignedVarint()
        return Int(Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1))
    }
}
