// libFuzzer target: HTML, Markdown and plain-text line extraction. The first byte picks the extractor.
import FuzzSupport
import Glibc
import SeedwatchText

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtractors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let lines: [SourceLine]
    switch data[0] % 3 {
    case 0: lines = HTMLExtractor.lines(of: text)
    case 1: lines = MarkdownExtractor.lines(of: text)
    default: lines = PlainTextExtractor.lines(of: text)
    }
    for line in lines where line.linkDensity.isNaN || line.linkDensity < 0 || line.linkDensity > 1.0001 {
        print("fuzz invariant broken: link density \(line.linkDensity)")
        abort()
    }
    return 0
}

/// SwiftPM renames this executable's `main` to `FuzzExtractors_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzExtractors_main")
public func FuzzExtractorsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzExtractors)
}
