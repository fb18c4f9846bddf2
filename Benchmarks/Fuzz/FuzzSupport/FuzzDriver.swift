// The part every libFuzzer target shares: handing control to libFuzzer's driver.
import Glibc

public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

/// Runs libFuzzer's driver on `callback`. SwiftPM links executables with `main` renamed to
/// `<Target>_main`, so each target calls this from a function of that name.
public func runFuzzDriver(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ callback: FuzzCallback) -> CInt {
    typealias Driver = @convention(c) (
        UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>, FuzzCallback
    ) -> CInt
    guard let symbol = dlsym(nil, "LLVMFuzzerRunDriver") else {  // nil: RTLD_DEFAULT
        print("LLVMFuzzerRunDriver not found: build with -sanitize=fuzzer")
        return 2
    }
    var count = argc
    var arguments = argv
    return unsafeBitCast(symbol, to: Driver.self)(&count, &arguments, callback)
}
