// libFuzzer target: the inotify event parser on arbitrary (possibly truncated) kernel buffers,
// and encode → parse round trip of what it returned.
import FuzzSupport
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

/// SwiftPM renames this executable's `main` to `FuzzInotifyEvents_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzInotifyEvents_main")
public func FuzzInotifyEventsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzInotifyEvents)
}
