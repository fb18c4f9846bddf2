import Testing
@testable import SeedwatchCore

@Suite("TextDecoding")
struct TextDecodingTests {
    private func decoded(_ bytes: [UInt8]) throws -> (text: String, encoding: TextEncoding) {
        try TextDecoding.decode(bytes).get()
    }

    @Test("plain UTF-8")
    func utf8() throws {
        let result = try decoded(Array("héllo wörld ✓".utf8))
        #expect(result.text == "héllo wörld ✓")
        #expect(result.encoding == .utf8)
    }

    @Test("UTF-8 with a byte-order mark: the mark is dropped")
    func utf8WithBOM() throws {
        let result = try decoded([0xEF, 0xBB, 0xBF] + Array("café".utf8))
        #expect(result.text == "café")
        #expect(result.encoding == .utf8BOM)
    }

    @Test("UTF-16 little endian with its mark, NUL bytes included, is text")
    func utf16LittleEndian() throws {
        let units = Array("Hé 🎉".utf16)
        let bytes: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let result = try decoded(bytes)
        #expect(result.text == "Hé 🎉")
        #expect(result.encoding == .utf16LE)
    }

    @Test("UTF-16 big endian with its mark")
    func utf16BigEndian() throws {
        let units = Array("Hé 🎉".utf16)
        let bytes: [UInt8] = [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let result = try decoded(bytes)
        #expect(result.text == "Hé 🎉")
        #expect(result.encoding == .utf16BE)
    }

    @Test("invalid UTF-16 after a mark is undecodable", arguments: [
        [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00] as [UInt8],  // a lone high surrogate
        [0xFE, 0xFF, 0xDC, 0x00] as [UInt8],  // a lone low surrogate
        [0xFF, 0xFE, 0x41, 0x00, 0x42] as [UInt8],  // an odd number of bytes
    ])
    func invalidUTF16(bytes: [UInt8]) {
        #expect(throws: TextDecoding.Failure.invalidUTF16) { try TextDecoding.decode(bytes).get() }
    }

    @Test("a NUL byte in the first 8 KiB means binary, at its offset", arguments: [0, 5, TextDecoding.binaryProbeLength - 1])
    func nulMeansBinary(offset: Int) {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: TextDecoding.binaryProbeLength + 100)
        bytes[offset] = 0
        #expect(throws: TextDecoding.Failure.binary(offset: offset)) { try TextDecoding.decode(bytes).get() }
    }

    @Test("a NUL byte after the first 8 KiB is not binary")
    func nulAfterProbeIsText() throws {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: TextDecoding.binaryProbeLength + 100)
        bytes[TextDecoding.binaryProbeLength] = 0
        let result = try decoded(bytes)
        #expect(result.encoding == .utf8)
        #expect(result.text.utf8.count == bytes.count)
    }

    @Test("invalid UTF-8 falls back to Latin-1, byte for byte")
    func latin1Fallback() throws {
        let bytes: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x20, 0xA3, 0x35]  // "café £5" in Latin-1
        let result = try decoded(bytes)
        #expect(result.text == "café £5")
        #expect(result.encoding == .latin1)
    }

    @Test("a UTF-8 mark followed by invalid UTF-8 is Latin-1 without the mark")
    func bomThenInvalidUTF8() throws {
        let result = try decoded([0xEF, 0xBB, 0xBF, 0x61, 0xFF])
        #expect(result.text == "a\u{FF}")
        #expect(result.encoding == .latin1)
    }

    @Test("empty input is empty UTF-8 text")
    func empty() throws {
        let result = try decoded([])
        #expect(result.text.isEmpty)
        #expect(result.encoding == .utf8)
    }
}
