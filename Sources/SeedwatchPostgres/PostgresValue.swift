import NIOCore
import PostgresNIO

/// A value bound to a statement or read from a row: the few types the state tables use
/// (`bigint`, `text`, `bytea`, `boolean`).
public enum PostgresValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])

    public var text: String? {
        if case let .text(value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        if case let .integer(value) = self { return value }
        return nil
    }

    public var bytes: [UInt8]? {
        if case let .bytes(value) = self { return value }
        return nil
    }

    public static func optional(_ text: String?) -> PostgresValue { text.map(PostgresValue.text) ?? .null }

    func bind(into binds: inout PostgresBindings) {
        switch self {
        case .null: binds.appendNull()
        case let .integer(value): binds.append(value)
        case let .text(value): binds.append(value)
        case let .bytes(value): binds.append(ByteBuffer(bytes: value))
        }
    }

    /// Integers of every width come back as `.integer`, text-like types as `.text`; what the
    /// state tables never hold (a numeric, a timestamp) comes back as its text.
    init(cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .int2: self = .integer(Int64(try cell.decode(Int16.self)))
        case .int4: self = .integer(Int64(try cell.decode(Int32.self)))
        case .int8: self = .integer(try cell.decode(Int64.self))
        case .bool: self = .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            let buffer = try cell.decode(ByteBuffer.self)
            self = .bytes(Array(buffer.readableBytesView))
        default: self = .text(try cell.decode(String.self))
        }
    }
}
