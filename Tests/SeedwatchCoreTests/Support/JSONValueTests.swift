import Foundation
import Testing
@testable import SeedwatchCore

@Suite("JSONValue")
struct JSONValueTests {
    @Test("keeps true apart from 1 and false apart from 0")
    func booleansAreNotNumbers() throws {
        let text = #"{"yes": true, "one": 1, "no": false, "zero": 0, "half": 0.5, "name": "x", "nothing": null}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["yes"] == .bool(true))
        #expect(value["one"] == .integer(1))
        #expect(value["no"] == .bool(false))
        #expect(value["zero"] == .integer(0))
        #expect(value["half"] == .number(0.5))
        #expect(value["name"]?.stringValue == "x")
        #expect(value["nothing"] == .null)
    }

    @Test("encodes and decodes back to the same value")
    func roundTrip() throws {
        let value = JSONValue.object([
            "flag": .bool(true),
            "count": .integer(1),
            "ratio": .number(2.25),
            "text": .string("quote \" backslash \\ newline \n unicode é 🎉"),
            "list": .array([.integer(1), .bool(true), .null, .string("1")]),
            "nested": .object(["inner": .array([]), "empty": .object([:])]),
        ])
        let encoded = try JSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: encoded)
        #expect(decoded == value)
    }

    @Test("subscript and stringValue are nil on the wrong kind")
    func accessorsOnOtherKinds() {
        #expect(JSONValue.array([.integer(1)])["a"] == nil)
        #expect(JSONValue.integer(1).stringValue == nil)
    }
}
