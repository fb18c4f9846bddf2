import FoundationEssentials

/// Encodes a value as one line of JSON with sorted keys and unescaped slashes: the same bytes as
/// Foundation's `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` and non-finite numbers
/// written as the strings "nan", "inf" and "-inf".
///
/// Every result file is encoded once, and Foundation's encoder, general enough for every option it
/// offers, took about 6% of the daemon's CPU per document. This one builds a small tree of values
/// and writes it in one pass; `Data`, `URL` and `Decimal`, which Foundation writes in forms of its
/// own, are handed to Foundation's encoder so their bytes stay the same too.
public enum SortedJSONEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = try JSONTreeEncoder().node(for: value)
        var writer = JSONBytesWriter()
        try writer.write(root, depth: 0)
        return writer.bytes
    }

    /// `string` as a JSON string literal, escaped as `encode` escapes strings: for JSON written
    /// piece by piece (the effective configuration, evaluation lines, quoted log values).
    public static func quote(_ string: String) -> String {
        var writer = JSONBytesWriter(capacity: string.utf8.count + 2)
        writer.writeString(string)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// A value being encoded. Objects and arrays are references so nested containers can keep
/// adding to them after they were placed in their parent, as `Encoder` allows.
enum JSONNode {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case float(Float)
    case string(String)
    /// Bytes already in JSON form (values Foundation encodes in special forms).
    case raw([UInt8])
    case object(JSONObjectBox)
    case array(JSONArrayBox)
}

final class JSONObjectBox {
    /// In the order encoded; a key encoded twice keeps its last value, as in Foundation.
    var members: [(key: String, value: JSONNode)] = []
}

final class JSONArrayBox {
    var items: [JSONNode] = []
}

/// The `Encoder` handed to `encode(to:)`. One serves a whole encoding: a nested value is encoded
/// through it too, with what the enclosing value encoded put aside meanwhile, so a value costs no
/// encoder of its own. Coding paths are not tracked (they are always empty): nothing in a result
/// reads them, and building them cost an array per value.
final class JSONTreeEncoder: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var result: JSONNode?

    func node<T: Encodable>(for value: T) throws -> JSONNode {
        switch value {
        case let string as String: return .string(string)
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .integer(Int64(int))
        case let double as Double: return .double(double)
        case let float as Float: return .float(float)
        case is Data, is URL, is Decimal:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = JSONBytesWriter.nonConforming
            return .raw(Array(try encoder.encode(value)))
        default:
            let enclosing = result
            result = nil
            defer { result = enclosing }
            try value.encode(to: self)
            // Foundation encodes a value that encoded nothing as an empty object.
            return result ?? .object(JSONObjectBox())
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case let .object(existing)? = result {
            box = existing
        } else {
            box = JSONObjectBox()
            result = .object(box)
        }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(box: box, encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case let .array(existing)? = result {
            box = existing
        } else {
            box = JSONArrayBox()
            result = .array(box)
        }
        return JSONUnkeyedContainer(box: box, encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(encoder: self)
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let encoder: JSONTreeEncoder
    var codingPath: [any CodingKey] { [] }

    private func put(_ node: JSONNode, _ key: Key) { box.members.append((key.stringValue, node)) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(.float(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.unsigned(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(try encoder.node(for: value), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        put(.object(nested), key)
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, encoder: encoder))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        put(.array(nested), key)
        return JSONUnkeyedContainer(box: nested, encoder: encoder)
    }

    mutating func superEncoder() -> any Encoder { JSONSuperEncoder(parent: .object(box, "super")) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONSuperEncoder(parent: .object(box, key.stringValue))
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let encoder: JSONTreeEncoder
    var codingPath: [any CodingKey] { [] }
    var count: Int { box.items.count }

    mutating func encodeNil() throws { box.items.append(.null) }
    mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.items.append(.double(value)) }
    mutating func encode(_ value: Float) throws { box.items.append(.float(value)) }
    mutating func encode(_ value: Int) throws { box.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { box.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { box.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { box.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { box.items.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { box.items.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { box.items.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { box.items.append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { box.items.append(.unsigned(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try encoder.node(for: value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        box.items.append(.object(nested))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, encoder: encoder))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        box.items.append(.array(nested))
        return JSONUnkeyedContainer(box: nested, encoder: encoder)
    }

    mutating func superEncoder() -> any Encoder {
        let index = box.items.count
        box.items.append(.null)
        return JSONSuperEncoder(parent: .array(box, index))
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONTreeEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.result = .null }
    mutating func encode(_ value: Bool) throws { encoder.result = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.result = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.result = .double(value) }
    mutating func encode(_ value: Float) throws { encoder.result = .float(value) }
    mutating func encode(_ value: Int) throws { encoder.result = .integer(Int64(value)) }
    mutating func encode(_ value: Int8) throws { encoder.result = .integer(Int64(value)) }
    mutating func encode(_ value: Int16) throws { encoder.result = .integer(Int64(value)) }
    mutating func encode(_ value: Int32) throws { encoder.result = .integer(Int64(value)) }
    mutating func encode(_ value: Int64) throws { encoder.result = .integer(value) }
    mutating func encode(_ value: UInt) throws { encoder.result = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { encoder.result = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { encoder.result = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { encoder.result = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { encoder.result = .unsigned(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.result = try encoder.node(for: value)
    }
}

/// The encoder `superEncoder()` returns: what it encodes replaces its slot in the parent when it
/// is done, which for this single-pass writer is whenever the parent is written, so it stores
/// into the slot as soon as anything is encoded.
final class JSONSuperEncoder: Encoder {
    enum Slot {
        case object(JSONObjectBox, String)
        case array(JSONArrayBox, Int)
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private let inner = JSONTreeEncoder()
    private let slot: Slot
    private var memberIndex: Int?

    init(parent: Slot) {
        slot = parent
    }

    private func store() {
        let node = inner.result ?? .object(JSONObjectBox())
        switch slot {
        case let .object(box, key):
            if let memberIndex {
                box.members[memberIndex].value = node
            } else {
                memberIndex = box.members.count
                box.members.append((key, node))
            }
        case let .array(box, index):
            box.items[index] = node
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let container = inner.container(keyedBy: type)
        store()
        return container
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let container = inner.unkeyedContainer()
        store()
        return container
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSuperSingleValue(encoder: self, inner: JSONSingleValueContainer(encoder: inner))
    }

    fileprivate func storeAfterSingleValue() { store() }
}

private struct JSONSuperSingleValue: SingleValueEncodingContainer {
    let encoder: JSONSuperEncoder
    var inner: JSONSingleValueContainer
    var codingPath: [any CodingKey] { [] }

    private mutating func set(_ body: (inout JSONSingleValueContainer) throws -> Void) rethrows {
        try body(&inner)
        encoder.storeAfterSingleValue()
    }

    mutating func encodeNil() throws { try set { try $0.encodeNil() } }
    mutating func encode(_ value: Bool) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: String) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: Double) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: Float) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: Int) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: Int8) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: Int16) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: Int32) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: Int64) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: UInt) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: UInt8) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: UInt16) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: UInt32) throws { try set { try $0.encode(value) } }
    mutating func encode(_ value: UInt64) throws { try set { try $0.encode(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try set { try $0.encode(value) } }
}

/// Writes a `JSONNode` tree as Foundation's `JSONWriter` does with sorted keys and unescaped slashes.
struct JSONBytesWriter {
    static let nonConforming = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"
    )
    /// Foundation refuses deeper nesting; so does this writer, rather than overflow the stack.
    static let maximumDepth = 512

    var bytes: [UInt8] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ node: JSONNode, depth: Int) throws {
        switch node {
        case .null: append("null")
        case let .bool(value): append(value ? "true" : "false")
        case let .integer(value): append(String(value))
        case let .unsigned(value): append(String(value))
        case let .double(value): writeNumber(value)
        case let .float(value): writeNumber(value)
        case let .string(value): writeString(value)
        case let .raw(value): bytes += value
        case let .object(box):
            guard depth < Self.maximumDepth else { throw EncodingError.invalidValue(node, .init(codingPath: [], debugDescription: "nested too deeply")) }
            bytes.append(UInt8(ascii: "{"))
            let members = box.members
            try withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count) { buffer in
                var order = buffer
                for index in members.indices { order.initializeElement(at: index, to: index) }
                // Key bytes, then encoding order: of a key encoded twice the later one is written.
                order.sort { a, b in
                    let (x, y) = (members[a].key, members[b].key)
                    return x == y ? a < b : x.utf8.lexicographicallyPrecedes(y.utf8)
                }
                var first = true
                for (position, index) in order.enumerated() {
                    if position + 1 < order.count && members[order[position + 1]].key == members[index].key { continue }
                    if !first { bytes.append(UInt8(ascii: ",")) }
                    first = false
                    writeString(members[index].key)
                    bytes.append(UInt8(ascii: ":"))
                    try write(members[index].value, depth: depth + 1)
                }
            }
            bytes.append(UInt8(ascii: "}"))
        case let .array(box):
            guard depth < Self.maximumDepth else { throw EncodingError.invalidValue(node, .init(codingPath: [], debugDescription: "nested too deeply")) }
            bytes.append(UInt8(ascii: "["))
            for (index, item) in box.items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(item, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Shortest round-trip digits, without a trailing ".0"; non-finite values as strings.
    private mutating func writeNumber<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) {
        if value.isNaN { return writeString("nan") }
        if value.isInfinite { return writeString(value < 0 ? "-inf" : "inf") }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        append(text)
    }

    mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            var mark = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<index]))
                mark = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes += [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
