// libFuzzer target: the whole text analysis (normalise, extract, boilerplate, tokenize, split sentences).
// The first byte picks the format; sentence byte ranges must lie inside the text.
import FuzzSupport
import Glibc
import SeedwatchText

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSentences(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let formats: [TextFormat] = [.plain, .markdown, .html]
    let analyzed = TextAnalyzer.analyze(text: text, format: formats[Int(data[0]) % 3])
    let length = analyzed.text.utf8.count
    for sentence in analyzed.sentences {
        if sentence.byteRange.lowerBound < 0 || sentence.byteRange.upperBound > length {
            print("fuzz invariant broken: sentence \(sentence.byteRange) outside 0..<\(length)")
            abort()
        }
        _ = analyzed.text(of: sentence)
    }
    let splitOnly = SentenceSplitter(maxTokens: 1 + Int(data[0]) % 50).split(text)
    for sentence in splitOnly where sentence.byteRange.upperBound > text.utf8.count {
        print("fuzz invariant broken: split sentence \(sentence.byteRange) outside the text")
        abort()
    }
    return 0
}

/// SwiftPM renames this executable's `main` to `FuzzSentences_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzSentences_main")
public func FuzzSentencesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzSentences)
}
