import Testing
@testable import SeedwatchProcessors

/// Processor state is written in the compact form and read in both: the compact one and the
/// fixed-width one that versions before it wrote, so a daemon upgraded in place keeps its state.
@Suite struct StateCodecTests {
    /// The fixed-width form as earlier versions wrote it: 64-bit little-endian words for integers
    /// and lengths.
    struct FixedWidthWriter {
        var bytes: [UInt8] = []
        mutating func int(_ value: Int) { withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 } }
        mutating func float(_ value: Float) { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        mutating func string(_ value: String) {
            int(value.utf8.count)
            bytes += value.utf8
        }
    }

    static let numbers = [0, 1, -1, 63, -64, 64, 127, 128, 300, -300, 1 << 31, Int.max, Int.min, Int.max - 1, Int.min + 1]

    @Test func valuesRoundTripInTheCompactForm() throws {
        var w = StateWriter()
        for number in Self.numbers { w.int(number) }
        w.uint64(UInt64.max)
        w.float(-0.375)
        w.string("Ahmed al-Sharaa — دمشق")
        w.blob([0, 0xFF, 7])
        var r = StateReader(w.bytes, key: "test")
        for number in Self.numbers { #expect(try r.int() == number) }
        #expect(try r.uint64() == UInt64.max)
        #expect(try r.float() == -0.375)
        #expect(try r.string() == "Ahmed al-Sharaa — دمشق")
        #expect(try r.blob() == [0, 0xFF, 7])
        #expect(r.isAtEnd)
    }

    @Test func smallNumbersTakeOneByte() {
        var w = StateWriter()
        w.int(5)
        w.string("term")
        #expect(w.bytes.count == StateWriter.compactMarker.count + 1 + 1 + 4)
    }

    @Test func theFixedWidthFormOfEarlierVersionsIsStillRead() throws {
        var w = FixedWidthWriter()
        for number in [0, 1, 255, 1 << 40] { w.int(number) }
        w.float(2.5)
        w.string("surface")
        w.int(3)
        var r = StateReader(w.bytes, key: "legacy")
        for number in [0, 1, 255, 1 << 40] { #expect(try r.int() == number) }
        #expect(try r.float() == 2.5)
        #expect(try r.string() == "surface")
        // A count is checked against the element size of the fixed-width form.
        #expect(throws: CorruptState.self) { _ = try r.count(elementSize: 8) }
    }

    @Test func damagedValuesThrowInsteadOfReadingPastTheEnd() {
        var w = StateWriter()
        w.string("truncated string")
        w.int(1 << 40)
        let bytes = w.bytes
        for cut in StateWriter.compactMarker.count..<bytes.count {
            #expect(throws: CorruptState.self) {
                var r = StateReader(Array(bytes.prefix(cut)), key: "cut")
                _ = try r.string()
                _ = try r.int()
            }
        }
        // Eleven continuation bytes are no number the writer makes.
        var overlong = StateReader(StateWriter.compactMarker + [UInt8](repeating: 0x80, count: 10) + [0x01], key: "long")
        #expect(throws: CorruptState.self) { _ = try overlong.int() }
        // A count larger than the bytes left cannot be real.
        var counted = StateWriter()
        counted.int(1_000)
        counted.int(1)
        var r = StateReader(counted.bytes, key: "count")
        #expect(throws: CorruptState.self) { _ = try r.count(elementSize: 1) }
    }

    /// A length near Int.max (a damaged database) is an error, not an overflow trap: the string
    /// reader once added it to the offset, which overflowed and trapped (FuzzStateDecoders feeds such input).
    @Test(arguments: [Int.max, Int.max - 8, Int.max / 2 + 1])
    func hugeLengthsThrow(length: Int) {
        for form in [true, false] {
            var bytes: [UInt8]
            if form {
                var w = StateWriter()
                w.int(length)
                bytes = w.bytes
            } else {
                var w = FixedWidthWriter()
                w.int(length)
                bytes = w.bytes
            }
            bytes += Array("tail".utf8)
            var string = StateReader(bytes, key: "string")
            #expect(throws: CorruptState.self) { _ = try string.string() }
            var blob = StateReader(bytes, key: "blob")
            #expect(throws: CorruptState.self) { _ = try blob.blob() }
        }
    }
}
