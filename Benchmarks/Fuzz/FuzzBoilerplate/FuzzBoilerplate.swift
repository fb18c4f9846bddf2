// libFuzzer target: boilerplate removal on arbitrary lines (kept + removed = input).
import FuzzSupport
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

/// SwiftPM renames this executable's `main` to `FuzzBoilerplate_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzBoilerplate_main")
public func FuzzBoilerplateMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzBoilerplate)
}
