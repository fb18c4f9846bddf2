// libFuzzer target: TextDecoding.decode on arbitrary bytes. Built only with SEEDWATCH_FUZZ=1 (see Package.swift).
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

/// SwiftPM links executables with `main` renamed to `FuzzTextDecoding_main`; hand control to libFuzzer's driver from there.
@_cdecl("FuzzTextDecoding_main")
public func FuzzTextDecodingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    typealias Callback = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    typealias Driver = @convention(c) (
        UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>, Callback
    ) -> CInt
    guard let symbol = dlsym(nil, "LLVMFuzzerRunDriver") else {  // nil: RTLD_DEFAULT
        print("LLVMFuzzerRunDriver not found: build with -sanitize=fuzzer")
        return 2
    }
    var count = argc
    var arguments = argv
    return unsafeBitCast(symbol, to: Driver.self)(&count, &arguments, fuzzTextDecoding)
}
