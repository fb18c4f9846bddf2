/// Turns file bytes into text, or says why it cannot.
public enum TextDecoding {
    /// How much of the start of a file is searched for NUL bytes to tell binary from text.
    public static let binaryProbeLength = 8192

    public enum Failure: Error, Equatable, Sendable {
        /// A NUL byte in the first 8 KiB (and no UTF-16 byte-order mark).
        case binary(offset: Int)
        /// A UTF-16 byte-order mark followed by bytes that are not UTF-16.
        case invalidUTF16
    }

    public static func decode(_ bytes: [UInt8]) -> Result<(text: String, encoding: TextEncoding), Failure> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            if let text = String(validating: bytes.dropFirst(3), as: UTF8.self) { return .success((text, .utf8BOM)) }
            return .success((latin1(bytes.dropFirst(3)), .latin1))
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return utf16(bytes.dropFirst(2), littleEndian: true) }
        if bytes.starts(with: [0xFE, 0xFF]) { return utf16(bytes.dropFirst(2), littleEndian: false) }
        if let nul = bytes.prefix(binaryProbeLength).firstIndex(of: 0) { return .failure(.binary(offset: nul)) }
        if let text = String(validating: bytes, as: UTF8.self) { return .success((text, .utf8)) }
        return .success((latin1(bytes[...]), .latin1))
    }

    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> Result<(text: String, encoding: TextEncoding), Failure> {
        guard bytes.count % 2 == 0 else { return .failure(.invalidUTF16) }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            index += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else { return .failure(.invalidUTF16) }
        return .success((text, littleEndian ? .utf16LE : .utf16BE))
    }
}
