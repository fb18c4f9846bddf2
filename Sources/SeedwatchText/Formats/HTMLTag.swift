/// One tag, comment or declaration found by the HTML scanner.
struct HTMLTag {
    /// Lower-cased element name; empty for comments and declarations.
    var name: String
    var isOpening: Bool
    var selfClosing: Bool
    /// Byte offset just past the tag.
    var end: Int

    /// Parses a tag at `start` (a "<"), or returns nil when the "<" opens no tag and is text.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> HTMLTag? {
        let n = bytes.count
        var i = start + 1
        guard i < n else { return nil }
        if bytes[i] == 0x21 {  // "<!": comment or declaration
            if i + 2 < n && bytes[i + 1] == 0x2D && bytes[i + 2] == 0x2D {
                var k = i + 3
                while k + 2 < n {
                    if bytes[k] == 0x2D && bytes[k + 1] == 0x2D && bytes[k + 2] == 0x3E {
                        return HTMLTag(name: "", isOpening: false, selfClosing: true, end: k + 3)
                    }
                    k += 1
                }
                return HTMLTag(name: "", isOpening: false, selfClosing: true, end: n)
            }
            guard let close = find(0x3E, in: bytes, from: i) else { return nil }
            return HTMLTag(name: "", isOpening: false, selfClosing: true, end: close + 1)
        }
        if bytes[i] == 0x3F {  // "<?xml …?>"
            guard let close = find(0x3E, in: bytes, from: i) else { return nil }
            return HTMLTag(name: "", isOpening: false, selfClosing: true, end: close + 1)
        }
        var isOpening = true
        if bytes[i] == 0x2F {
            isOpening = false
            i += 1
        }
        let nameStart = i
        while i < n, isNameByte(bytes[i]) { i += 1 }
        guard i > nameStart, isLetter(bytes[nameStart]) else { return nil }
        var nameBytes = Array(bytes[nameStart..<i])
        for k in nameBytes.indices where nameBytes[k] >= 0x41 && nameBytes[k] <= 0x5A { nameBytes[k] |= 0x20 }
        // Attributes: up to the first ">"; a new "<" before any ">" means the tag is broken. Quotes
        // are not honoured so that every byte is looked at a bounded number of times.
        while i < n {
            let b = bytes[i]
            if b == 0x3E {
                let selfClosing = i > start && bytes[i - 1] == 0x2F
                let name = String(decoding: nameBytes, as: UTF8.self)
                return HTMLTag(name: name, isOpening: isOpening, selfClosing: selfClosing || voids.contains(name), end: i + 1)
            } else if b == 0x3C {
                break
            }
            i += 1
            if i - start > 8192 { break }
        }
        return nil
    }

    static let voids: Set<String> = ["br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "track"]

    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isNameByte(_ b: UInt8) -> Bool { isLetter(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x3A }

    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < bytes.count && i - start < 8192 {
            if bytes[i] == byte { return i }
            if bytes[i] == 0x3C && i > start { return nil }
            i += 1
        }
        return nil
    }
}
