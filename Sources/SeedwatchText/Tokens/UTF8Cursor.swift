/// Decodes one scalar at a byte offset of a UTF-8 buffer; invalid bytes decode as U+FFFD, length 1.
///
/// Swift strings are valid UTF-8, so the fallback only guards against misuse, never traps.
@inline(__always)
func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
    let b0 = bytes[i]
    if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
    let count = bytes.count
    var value: UInt32
    var length: Int
    if b0 & 0xE0 == 0xC0 {
        value = UInt32(b0 & 0x1F); length = 2
    } else if b0 & 0xF0 == 0xE0 {
        value = UInt32(b0 & 0x0F); length = 3
    } else if b0 & 0xF8 == 0xF0 {
        value = UInt32(b0 & 0x07); length = 4
    } else {
        return ("\u{FFFD}", 1)
    }
    guard i + length <= count else { return ("\u{FFFD}", 1) }
    for k in 1..<length {
        let b = bytes[i + k]
        guard b & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
        value = (value << 6) | UInt32(b & 0x3F)
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
}

/// Runs `body` over the UTF-8 bytes of `text` without copying when the string is native.
func withUTF8Buffer<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    let copy = Array(text.utf8)
    return copy.withUnsafeBufferPointer(body)
}
