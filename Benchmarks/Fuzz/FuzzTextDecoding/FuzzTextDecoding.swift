// libFuzzer target: TextDecoding.decode on arbitrary bytes. Built only with SEEDWATCH_FUZZ=1 (see Package.swift).
import FuzzSupport
import Glibc
import SeedwatchCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTextDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let probe = bytes.prefix(TextDecoding.binaryProbeLength)
    switch TextDecoding.decode(bytes) {
    case .success(let decoded):
        // Each encoding must account for every input byte: decoding loses or invents nothing.
        switch decoded.encoding {
        case .utf8:
            if probe.contains(0) { trap("text with a NUL in the probe decoded as UTF-8") }
            if Array(decoded.text.utf8) != bytes { trap("UTF-8 text differs from its bytes") }
        case .utf8BOM:
            if Array(decoded.text.utf8) != Array(bytes.dropFirst(3)) { trap("UTF-8 text after a BOM differs from its bytes") }
        case .latin1:
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            if body.count == bytes.count, probe.contains(0) { trap("text with a NUL in the probe decoded as Latin-1") }
            if decoded.text.unicodeScalars.map({ UInt8(truncatingIfNeeded: $0.value) }) != body
                || decoded.text.unicodeScalars.contains(where: { $0.value > 0xFF }) {
                trap("Latin-1 text is not one scalar per byte")
            }
            if String(validating: body, as: UTF8.self) != nil { trap("valid UTF-8 decoded as Latin-1") }
        case .utf16LE, .utf16BE:
            let little = decoded.encoding == .utf16LE
            if !bytes.starts(with: little ? [0xFF, 0xFE] : [0xFE, 0xFF]) { trap("UTF-16 without its byte-order mark") }
            let units = decoded.text.utf16.flatMap { little ? [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] : [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] }
            if units != Array(bytes.dropFirst(2)) { trap("UTF-16 text differs from its bytes") }
        }
    case .failure(.binary(let offset)):
        if offset < 0 || offset >= min(size, TextDecoding.binaryProbeLength) || bytes[offset] != 0 { trap("binary offset does not point at a NUL in the probe") }
        if bytes[..<offset].contains(0) { trap("binary offset is not the first NUL") }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            trap("a file with a byte-order mark reported as binary")
        }
    case .failure(.invalidUTF16):
        if !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])) { trap("invalid UTF-16 without a UTF-16 byte-order mark") }
    }
    return 0
}

func trap(_ message: String) -> Never {
    print("fuzz invariant broken: \(message)")
    abort()
}

/// SwiftPM renames this executable's `main` to `FuzzTextDecoding_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzTextDecoding_main")
public func FuzzTextDecodingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzTextDecoding)
}
