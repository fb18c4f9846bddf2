// libFuzzer target: TextDecoding.decode on arbitrary bytes. Built only with SEEDWATCH_FUZZ=1 (see Package.swift).
import FuzzSupport
import Glibc
import SeedwatchCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTextDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch TextDecoding.decode(bytes) {
    case .success(let decoded):
        // Whatever was decoded must survive a UTF-8 round trip (what the outbox writer does).
        let utf8 = Array(decoded.text.utf8)
        if String(decoding: utf8, as: UTF8.self) != decoded.text { trap("UTF-8 round trip changed the text") }
    case .failure(.binary(let offset)):
        if offset < 0 || offset >= size || bytes[offset] != 0 { trap("binary offset does not point at a NUL") }
    case .failure(.invalidUTF16):
        break
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
