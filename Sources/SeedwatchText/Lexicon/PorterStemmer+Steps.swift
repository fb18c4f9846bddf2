extension PorterStemmer.Run {
    private static func w(_ s: StaticString) -> [UInt8] {
        Array(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    // Suffixes as byte arrays made once: building them per call would allocate per word.
    static let s_at = w("at")
    static let s_ate = w("ate")
    static let s_bl = w("bl")
    static let s_ble = w("ble")
    static let s_e = w("e")
    static let s_ed = w("ed")
    static let s_eed = w("eed")
    static let s_i = w("i")
    static let s_ies = w("ies")
    static let s_ing = w("ing")
    static let s_ion = w("ion")
    static let s_iz = w("iz")
    static let s_ize = w("ize")
    static let s_sses = w("sses")
    static let s_y = w("y")

    /// Plurals and -ed or -ing.
    mutating func step1ab() {
        if b[k] == 0x73 {  // s
            if ends(Self.s_sses) { k -= 2 }
            else if ends(Self.s_ies) { setTo(Self.s_i) }
            else if k >= 1 && b[k - 1] != 0x73 { k -= 1 }
        }
        if ends(Self.s_eed) {
            if m() > 0 { k -= 1 }
        } else if (ends(Self.s_ed) || ends(Self.s_ing)) && vowelInStem() {
            k = j
            if ends(Self.s_at) { setTo(Self.s_ate) }
            else if ends(Self.s_bl) { setTo(Self.s_ble) }
            else if ends(Self.s_iz) { setTo(Self.s_ize) }
            else if doubleC(k) {
                k -= 1
                let ch = b[k]
                if ch == 0x6C || ch == 0x73 || ch == 0x7A { k += 1 }  // l s z
            } else {
                j = k
                if m() == 1 && cvc(k) { setTo(Self.s_e) }
            }
        }
    }

    /// Terminal y to i when there is another vowel in the stem.
    mutating func step1c() {
        if ends(Self.s_y) && vowelInStem() { b[k] = 0x69 }
    }

    /// Double suffixes to single ones: -ization to -ize, -ational to -ate…
    mutating func step2() {
        guard k >= 1 else { return }
        for (suffix, replacement) in Self.step2Table[b[k - 1]] ?? [] where ends(suffix) {
            r(replacement)
            return
        }
    }

    /// -ic-, -full, -ness and similar.
    mutating func step3() {
        for (suffix, replacement) in Self.step3Table[b[k]] ?? [] where ends(suffix) {
            r(replacement)
            return
        }
    }

    /// Drops -ant, -ence and similar in context m > 1.
    mutating func step4() {
        guard k >= 1 else { return }
        var matched = false
        for suffix in Self.step4Table[b[k - 1]] ?? [] where ends(suffix) {
            if suffix == Self.s_ion {
                guard j >= 0, b[j] == 0x73 || b[j] == 0x74 else { continue }
            }
            matched = true
            break
        }
        guard matched else { return }
        if m() > 1 { k = j }
    }

    /// Removes a final -e and -ll in context m > 1.
    mutating func step5() {
        j = k
        if b[k] == 0x65 {
            let a = m()
            if a > 1 || (a == 1 && !cvc(k - 1)) { k -= 1 }
        }
        if b[k] == 0x6C && doubleC(k) && m() > 1 { k -= 1 }
    }

    private static func table(_ pairs: [(StaticString, StaticString)]) -> [UInt8: [([UInt8], [UInt8])]] {
        var out: [UInt8: [([UInt8], [UInt8])]] = [:]
        for (suffix, replacement) in pairs {
            let s = w(suffix)
            out[s[s.count - 2], default: []].append((s, w(replacement)))
        }
        return out
    }

    static let step2Table = table([
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
        ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
        ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
        ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
        ("logi", "log"),
    ])

    static let step3Table: [UInt8: [([UInt8], [UInt8])]] = {
        var out: [UInt8: [([UInt8], [UInt8])]] = [:]
        let pairs: [(StaticString, StaticString)] = [
            ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
        ]
        for (suffix, replacement) in pairs {
            let s = w(suffix)
            out[s[s.count - 1], default: []].append((s, w(replacement)))
        }
        return out
    }()

    static let step4Table: [UInt8: [[UInt8]]] = {
        let suffixes: [StaticString] = [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
            "ism", "ate", "iti", "ous", "ive", "ize",
        ]
        var out: [UInt8: [[UInt8]]] = [:]
        for suffix in suffixes {
            let s = w(suffix)
            out[s[s.count - 2], default: []].append(s)
        }
        return out
    }()
}
