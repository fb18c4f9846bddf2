import Foundation
import SeedwatchCore
import Testing

/// `SortedJSONEncoder` must write exactly what Foundation's `JSONEncoder` writes with the outbox's
/// options: result files do not change bytes with the encoder.
@Suite struct SortedJSONEncoderTests {
    static func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(value))
    }

    static func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try SortedJSONEncoder.encode(value)
        let theirs = try foundation(value)
        #expect(
            ours == theirs, "\(String(decoding: ours, as: UTF8.self))\n  vs Foundation\n\(String(decoding: theirs, as: UTF8.self))",
            sourceLocation: sourceLocation
        )
    }

    struct Numbers: Encodable {
        var int8s: [Int8] = [.min, -1, 0, .max]
        var int16s: [Int16] = [.min, .max]
        var int32s: [Int32] = [.min, .max]
        var int64s: [Int64] = [.min, .max]
        var ints: [Int] = [.min, -7, 0, 42, .max]
        var uint8s: [UInt8] = [0, .max]
        var uint16s: [UInt16] = [.max]
        var uint32s: [UInt32] = [.max]
        var uint64s: [UInt64] = [0, .max]
        var uints: [UInt] = [.max]
        var doubles: [Double] = [
            0, -0.0, 1, -1, 3, 100, 0.1, 0.2 + 0.1, 1.5, -2.25, 1e-7, 1.0e-5, 123.456, 1e15, 1e16, 1.2345e16, 1e21, 1e22,
            1.2345678901234568e20, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .pi, 2.5e-8, 0.001, 12.0, 7.000001, .nan, .infinity, -.infinity,
        ]
        var floats: [Float] = [0, 1, 0.1, 3.25, 1e-7, 1e10, 16_777_216, .greatestFiniteMagnitude, .nan, .infinity, -.infinity, 0.333]
        var single = 2.0
        var singleFloat: Float = 0.5
        var flag = true
        var off = false
    }

    struct Texts: Encodable {
        var controls = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        var punctuation = "quote \" backslash \\ slash / a/b DEL \u{7F} tab\t"
        var unicode = "Ahmed al-Sharaa — دمشق · 東京 · e\u{301} · 👩‍👩‍👧 · \u{2028}\u{2029} · \u{FEFF}"
        var empty = ""
        var long = String(repeating: "word \"quoted\" and\nnewline ", count: 200)
    }

    struct Keys: Encodable {
        var dictionary: [String: Int] = ["b": 1, "a": 2, "B": 3, "aa": 4, "a b": 5, "é": 6, "z": 7, "": 8, "_": 9, "10": 10, "9": 11]
        var byNumber: [Int: String] = [10: "ten", 9: "nine", -1: "minus one"]
        var nested: [String: [String: [Int]]] = ["outer": ["inner": [1, 2], "empty": []], "other": [:]]
        var optionalPresent: String? = "here"
        var optionalAbsent: String?
        var arrays: [[Double]] = [[], [1.5], [2, 3]]
    }

    /// Hand-written containers: explicit nulls, nested containers, a key encoded twice, super encoders.
    struct Manual: Encodable {
        enum Key: String, CodingKey { case first, second, nested, list, again, parent }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeNil(forKey: .first)
            try container.encode("two", forKey: .second)
            var nested = container.nestedContainer(keyedBy: Key.self, forKey: .nested)
            try nested.encode(1.25, forKey: .first)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            try list.encodeNil()
            var inner = list.nestedContainer(keyedBy: Key.self)
            try inner.encode(true, forKey: .second)
            var deeper = list.nestedUnkeyedContainer()
            try deeper.encode("x")
            try container.encode(1, forKey: .again)
            try container.encode(2, forKey: .again)
            try nested.encode("late", forKey: .second)
            let parent = container.superEncoder(forKey: .parent)
            var parentValues = parent.container(keyedBy: Key.self)
            try parentValues.encode(9, forKey: .first)
        }
    }

    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    struct Special: Encodable {
        var data = Data([0, 1, 2, 250, 255])
        var url = URL(string: "https://example.org/a path?q=1")
        var date = Date(timeIntervalSince1970: 1_700_000_001.5)
        var decimal = Decimal(string: "12.50")
    }

    @Test func numbersAreWrittenAsFoundationWritesThem() throws {
        try Self.expectSame(Numbers())
        for double in stride(from: -3.0, through: 3.0, by: 0.0137) { try Self.expectSame([double, double * 1e-9, double * 1e19]) }
        var seed: UInt64 = 7
        for _ in 0..<2_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let bits = Double(bitPattern: seed >> 2 | 0x3000_0000_0000_0000)
            try Self.expectSame([bits, -bits])
            try Self.expectSame([Float(bits)])
        }
    }

    @Test func stringsAreEscapedAsFoundationEscapesThem() throws {
        try Self.expectSame(Texts())
        for scalar in (0..<0x80).compactMap(Unicode.Scalar.init) { try Self.expectSame(["k\(scalar)": "v\(scalar)"]) }
    }

    @Test func keysAreSortedByTheirUTF8Bytes() throws {
        try Self.expectSame(Keys())
    }

    @Test func handWrittenContainersMatch() throws {
        try Self.expectSame(Manual())
        // Nested, a value that encodes nothing is an empty object (at the top Foundation refuses it).
        try Self.expectSame([Nothing()])
        try Self.expectSame(JSONValue.object(["a": .array([.null, .bool(false), .integer(-3), .number(2.5), .number(4), .string("s")])]))
    }

    @Test func foundationSpecialFormsAreKept() throws {
        try Self.expectSame(Special())
        try Self.expectSame("top-level string")
        try Self.expectSame(12)
    }

    @Test func quotedStringsAreWhatTheEncoderWritesForThem() throws {
        let strings = ["", "plain", "a \"quoted\" \\ path/with/slashes", "tab\tline\nreturn\r", "\u{0}\u{1F}\u{7F}", "دمشق — ✓ 🙂"]
        for string in strings {
            #expect(Array(SortedJSONEncoder.quote(string).utf8) == (try Self.foundation(string)), "\(string.debugDescription)")
        }
    }
}
