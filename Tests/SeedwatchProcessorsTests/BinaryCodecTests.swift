import Testing
@testable import SeedwatchProcessors

/// The primitives under every stored binary form: fixed widths little-endian, varints LEB128.
@Suite struct BinaryCodecTests {
    @Test func primitivesRoundTripInTheirDocumentedBytes() throws {
        var w = BinaryWriter(startingWith: [0xAB])
        w.byte(7)
        w.uint64(0x0102_0304_0506_0708)
        w.float32(1)
        w.unsignedVarint(300)
        w.signedVarint(-2)
        w.bytes([9, 9])
        #expect(w.buffer == [0xAB, 7, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0x80, 0x3F, 0xAC, 0x02, 0x03, 9, 9])

        var r = BinaryReader(w.buffer, from: 1)
        #expect(try r.byte() == 7)
        #expect(try r.uint64() == 0x0102_0304_0506_0708)
        #expect(try r.float32() == 1)
        #expect(try r.unsignedVarint() == 300)
        #expect(try r.signedVarint() == -2)
        #expect(try r.bytes(2) == [9, 9])
        #expect(r.isAtEnd)
    }

    @Test func extremesRoundTrip() throws {
        var w = BinaryWriter()
        for value in [Int.min, -1, 0, Int.max] { w.signedVarint(value) }
        w.unsignedVarint(.max)
        var r = BinaryReader(w.buffer)
        for value in [Int.min, -1, 0, Int.max] { #expect(try r.signedVarint() == value) }
        #expect(try r.unsignedVarint() == .max)
        #expect(r.isAtEnd)
    }

    @Test func readsPastTheEndAndOverlongNumbersThrow() {
        var empty = BinaryReader([])
        #expect(throws: BinaryReader.Failure.truncated) { _ = try empty.uint64() }
        var short = BinaryReader([1, 2, 3])
        #expect(throws: BinaryReader.Failure.truncated) { _ = try short.float32() }
        #expect(throws: BinaryReader.Failure.truncated) { _ = try short.bytes(4) }
        var unfinished = BinaryReader([0x80, 0x80])
        #expect(throws: BinaryReader.Failure.truncated) { _ = try unfinished.unsignedVarint() }
        var overlong = BinaryReader([UInt8](repeating: 0xFF, count: 9) + [0x02])
        #expect(throws: BinaryReader.Failure.overlongNumber) { _ = try overlong.unsignedVarint() }
    }
}
