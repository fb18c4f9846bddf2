// libFuzzer target: boilerplate removal on arbitrary lines (kept + removed = input).
import Glibc
import SeedwatchText

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBoilerplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = PlainTextExtractor.lines(of: text)
    let (kept, removed) = BoilerplateClassifier().classify(lines)
    if kept.count + removed.count != lines.count {
        print("fuzz invariant broken: \(lines.count) lines in, \(kept.count) kept + \(removed.count) removed")
        abort()
    }
    return 0
}

/// SwiftPM links executables with `main` renamed to `FuzzBoilerplate_main`; hand control to libFuzzer's driver from there.
@_cdecl("FuzzBoilerplate_main")
public func FuzzBoilerplateMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
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
    return unsafeBitCast(symbol, to: Driver.self)(&count, &arguments, fuzzBoilerplate)
}
