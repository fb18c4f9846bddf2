/// The Porter (1980) stemmer, after Martin Porter's reference C implementation.
///
/// Operates on lower-case ASCII bytes; words with other characters (accents, other scripts) and
/// words of one or two letters are returned unchanged, as the reference does.
public enum PorterStemmer {
    /// The stem of a lower-case word.
    public static func stem(_ word: String) -> String {
        let utf8 = word.utf8
        guard utf8.count > 2 else { return word }
        var b: [UInt8] = []
        b.reserveCapacity(utf8.count)
        for byte in utf8 {
            guard byte >= 0x61 && byte <= 0x7A else { return word }
            b.append(byte)
        }
        var stemmer = Run(b: b)
        stemmer.run()
        return String(decoding: stemmer.b[0..<stemmer.k + 1], as: UTF8.self)
    }

    /// The algorithm's working state: `b[0...k]` is the current word, `j` marks a suffix start.
    struct Run {
        var b: [UInt8]
        var k: Int
        var j: Int = 0

        init(b: [UInt8]) {
            self.b = b
            self.k = b.count - 1
        }

        mutating func run() {
            step1ab()
            if k > 0 {
                step1c(); step2(); step3(); step4(); step5()
            }
        }

        func cons(_ i: Int) -> Bool {
            switch b[i] {
            case 0x61, 0x65, 0x69, 0x6F, 0x75: return false  // a e i o u
            case 0x79: return i == 0 ? true : !cons(i - 1)  // y
            default: return true
            }
        }

        /// The number of vowel-consonant sequences in b[0...j].
        func m() -> Int {
            var n = 0
            var i = 0
            while true {
                if i > j { return n }
                if !cons(i) { break }
                i += 1
            }
            i += 1
            while true {
                while true {
                    if i > j { return n }
                    if cons(i) { break }
                    i += 1
                }
                i += 1
                n += 1
                while true {
                    if i > j { return n }
                    if !cons(i) { break }
                    i += 1
                }
                i += 1
            }
        }

        func vowelInStem() -> Bool {
            var i = 0
            while i <= j {
                if !cons(i) { return true }
                i += 1
            }
            return false
        }

        func doubleC(_ at: Int) -> Bool {
            at >= 1 && b[at] == b[at - 1] && cons(at)
        }

        /// consonant-vowel-consonant ending at i, the last not w, x or y.
        func cvc(_ i: Int) -> Bool {
            if i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2) { return false }
            let ch = b[i]
            return ch != 0x77 && ch != 0x78 && ch != 0x79
        }

        mutating func ends(_ s: [UInt8]) -> Bool {
            let length = s.count
            if length > k + 1 { return false }
            if b[k] != s[length - 1] { return false }
            var i = 0
            while i < length {
                if b[k - length + 1 + i] != s[i] { return false }
                i += 1
            }
            j = k - length
            return true
        }

        mutating func setTo(_ s: [UInt8]) {
            let length = s.count
            let start = j + 1
            let needed = start + length
            if needed > b.count { b.append(contentsOf: repeatElement(0, count: needed - b.count)) }
            for i in 0..<length { b[start + i] = s[i] }
            k = j + length
        }

        mutating func r(_ s: [UInt8]) {
            if m() > 0 { setTo(s) }
        }
    }
}
