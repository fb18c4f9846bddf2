// libFuzzer target: the inotify event parser on arbitrary (possibly truncated) kernel buffers,
// and encode → parse round trip of what it returned.
import Glibc
import SeedwatchIngest

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInotifyEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let events = InotifyEventParser.parse(UnsafeRawBufferPointer(start: data, count: size))
    let encoded = InotifyEventParser.encode(events)
    let again = encoded.withUnsafeBytes { InotifyEventParser.parse($0) }
    if again != events {
        print("fuzz invariant broken: encode/parse round trip differs")
        abort()
    }
    return 0
}

/// SwiftPM links executables with `main` renamed to `FuzzInotifyEvents_main`; hand control to libFuzzer's driver from there.
@_cdecl("FuzzInotifyEvents_main")
public func FuzzInotifyEventsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
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
    return unsafeBitCast(symbol, to: Driver.self)(&count, &arguments, fuzzInotifyEvents)
}
