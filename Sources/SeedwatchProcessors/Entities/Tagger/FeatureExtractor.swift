/// Turns a sentence into hashed feature buckets per token: lexical, shape, affix, context and
/// gazetteer features.
///
/// The same code runs in training and tagging, so the two cannot drift apart.
struct FeatureExtractor: Sendable {
    let hashBits: Int
    var mask: UInt64 { (1 << UInt64(hashBits)) - 1 }

    /// Feature buckets for every token, `stride` slots each, the first `counts[i]` used.
    /// Structure of arrays: the buckets of token `i` are `buckets[i * stride ..< i * stride + counts[i]]`.
    struct Table {
        var buckets: [Int32] = []
        var counts: [Int] = []
        var stride: Int { FeatureExtractor.stride }
    }

    static let stride = 72

    /// Templates are numbered so that two templates never share a hash by accident. The numbers
    /// are part of the model: append new templates at the end, never remove one (`caseCaps` is
    /// unused but keeps the numbers of the ones after it).
    private enum T: UInt64 {
        case bias = 1, exact, lower, lowerM1, lowerP1, lowerM2, lowerP2, bigramM, bigramP
        case shape, shapeM1, shapeP1, shapeTri, shapeBiM, shapeBiP, shortShape
        case prefix1, prefix2, prefix3, prefix4, suffix1, suffix2, suffix3, suffix4
        case firstExact, allCapsLower, lengthBucket, lowerM1Short, lowerP1Short, flags
        case gaz, gazM1, gazP1, exactM1, exactP1, shapeLower, firstShape
        case coarse, fine, fineM1, fineP1, coarseTri, caseShape, caseFirst, caseCaps, fineM2, fineP2, fineBiM, fineBiP
        case docCase, docPrevious, docNext
    }

    /// A sentence in capitals (a headline) makes case useless.
    static func isCapsSentence(_ traits: [TokenTraits]) -> Bool {
        var letterTokens = 0
        var upperTokens = 0
        for t in traits where t.flags.contains(.hasLetter) {
            letterTokens += 1
            if t.flags.contains(.allUpper) { upperTokens += 1 }
        }
        return letterTokens >= 3 && upperTokens * 10 >= letterTokens * 8
    }

    /// `document` is what the rest of the document says about each word; `position` is the
    /// document-wide index of the sentence's first token (the positions `document` was built with).
    func extract(
        _ traits: [TokenTraits], gazetteer: Gazetteer, lexicon: WordLexicon,
        document: DocumentContext = .empty, position: Int = 0
    ) -> Table {
        var table = Table()
        extract(traits, gazetteer: gazetteer, lexicon: lexicon, document: document, position: position, into: &table)
        return table
    }

    /// `extract` into `table`, reusing its storage.
    func extract(
        _ traits: [TokenTraits], gazetteer: Gazetteer, lexicon: WordLexicon,
        document: DocumentContext, position: Int, into table: inout Table
    ) {
        let n = traits.count
        // Moved out of `table` and back, so each stays uniquely referenced (no copies).
        var buckets = table.buckets
        var counts = table.counts
        table = Table()
        defer { table = Table(buckets: buckets, counts: counts) }
        if buckets.count < n * Self.stride {
            buckets = [Int32](repeating: 0, count: n * Self.stride)
        }
        counts.removeAll(keepingCapacity: true)
        counts.append(contentsOf: repeatElement(0, count: n))
        let marks = gazetteer.match(traits)
        // A sentence in capitals (a headline) makes case useless; say so to the model.
        let capsSentence: UInt64 = Self.isCapsSentence(traits) ? 1 : 0
        let ownFlags = UInt64(TokenTraits.Flags.initialUpper.rawValue | TokenTraits.Flags.allUpper.rawValue | TokenTraits.Flags.hasLetter.rawValue)
        let none = FeatureHash.of("<none>")
        let begin = FeatureHash.of("<s>")
        let end = FeatureHash.of("</s>")
        let m = mask
        let classes = traits.map { lexicon.lookup($0.lower) ?? WordLexicon.Entry(coarse: 0, fine: 0, caseClass: 0) }
        buckets.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                let t = traits[i]
                var k = i * Self.stride
                let start = k
                @inline(__always) func emit(_ template: T, _ value: UInt64) {
                    // At most 66 features fire today; the bound keeps a new template from writing
                    // into the next token's slots.
                    guard k - start < Self.stride else { return }
                    out[k] = Int32(truncatingIfNeeded: FeatureHash.combine(template.rawValue, value) & m)
                    k += 1
                }
                let p1: TokenTraits? = i > 0 ? traits[i - 1] : nil
                let p2: TokenTraits? = i > 1 ? traits[i - 2] : nil
                let n1: TokenTraits? = i + 1 < n ? traits[i + 1] : nil
                let n2: TokenTraits? = i + 2 < n ? traits[i + 2] : nil
                let lm1 = p1?.lower ?? begin
                let lp1 = n1?.lower ?? end
                let sm1 = p1?.shape ?? begin
                let sp1 = n1?.shape ?? end
                emit(.bias, 0)
                emit(.exact, t.exact)
                emit(.lower, t.lower)
                emit(.lowerM1, lm1)
                emit(.lowerP1, lp1)
                emit(.lowerM2, p2?.lower ?? (p1 == nil ? none : begin))
                emit(.lowerP2, n2?.lower ?? (n1 == nil ? none : end))
                emit(.bigramM, FeatureHash.combine(lm1, t.lower))
                emit(.bigramP, FeatureHash.combine(t.lower, lp1))
                emit(.exactM1, p1?.exact ?? begin)
                emit(.exactP1, n1?.exact ?? end)
                emit(.shape, FeatureHash.combine(t.shape, capsSentence))
                emit(.shapeM1, sm1)
                emit(.shapeP1, sp1)
                emit(.shapeTri, FeatureHash.combine(FeatureHash.combine(sm1, t.shape), sp1))
                emit(.shapeBiM, FeatureHash.combine(sm1, t.shape))
                emit(.shapeBiP, FeatureHash.combine(t.shape, sp1))
                emit(.shortShape, t.shortShape)
                emit(.shapeLower, FeatureHash.combine(t.shortShape, t.lower))
                if t.length > 1 {
                    emit(.prefix1, t.prefixes.0); emit(.suffix1, t.suffixes.0)
                    emit(.prefix2, t.prefixes.1); emit(.suffix2, t.suffixes.1)
                }
                if t.length > 2 { emit(.prefix3, t.prefixes.2); emit(.suffix3, t.suffixes.2) }
                if t.length > 3 { emit(.prefix4, t.prefixes.3); emit(.suffix4, t.suffixes.3) }
                if i == 0 {
                    emit(.firstExact, t.exact)
                    emit(.firstShape, t.shape)
                }
                if capsSentence != 0 { emit(.allCapsLower, t.lower) }
                emit(.lengthBucket, UInt64(min(t.length, 12)))
                emit(.lowerM1Short, FeatureHash.combine(lm1, t.shortShape))
                emit(.lowerP1Short, FeatureHash.combine(t.shortShape, lp1))
                emit(.flags, UInt64(t.flags.rawValue) | capsSentence << 16 | (i == 0 ? 1 << 17 : 0))
                let cls = classes[i]
                let coarseM1 = i > 0 ? UInt64(classes[i - 1].coarse) : 0xfff
                let coarseP1 = i + 1 < n ? UInt64(classes[i + 1].coarse) : 0xfff
                emit(.coarse, UInt64(cls.coarse))
                emit(.fine, UInt64(cls.fine))
                emit(.fineM1, i > 0 ? UInt64(classes[i - 1].fine) : 0xffff)
                emit(.fineP1, i + 1 < n ? UInt64(classes[i + 1].fine) : 0xffff)
                emit(.fineM2, i > 1 ? UInt64(classes[i - 2].fine) : 0xffff)
                emit(.fineP2, i + 2 < n ? UInt64(classes[i + 2].fine) : 0xffff)
                emit(.fineBiM, FeatureHash.combine(i > 0 ? UInt64(classes[i - 1].fine) : 0xffff, t.shortShape))
                emit(.fineBiP, FeatureHash.combine(t.shortShape, i + 1 < n ? UInt64(classes[i + 1].fine) : 0xffff))
                emit(.coarseTri, coarseM1 << 32 | UInt64(cls.coarse) << 16 | coarseP1)
                emit(.caseShape, FeatureHash.combine(UInt64(cls.caseClass), t.shortShape))
                emit(.caseFirst, UInt64(cls.caseClass) << 2 | (i == 0 ? 1 : 0) << 1 | capsSentence)
                emitMarks(marks[i], .gaz, emit)
                if i > 0 { emitMarks(marks[i - 1], .gazM1, emit) }
                if i + 1 < n { emitMarks(marks[i + 1], .gazP1, emit) }
                if t.flags.contains(.hasLetter) {
                    let word = document.words[t.lower]
                    let own = UInt64(t.flags.rawValue) & ownFlags | capsSentence << 16 | (i == 0 ? 1 << 17 : 0)
                    emit(.docCase, DocumentContext.caseClass(word) << 20 | own)
                    if let word, word.firstPosition >= 0, word.firstPosition != position + i {
                        emit(.docPrevious, word.previous)
                        emit(.docNext, word.next)
                    }
                }
                counts[i] = k - start
            }
        }
    }

    private func emitMarks(_ bits: UInt32, _ template: T, _ emit: (T, UInt64) -> Void) {
        guard bits != 0 else { return }
        var rest = bits
        var emitted = 0
        while rest != 0 && emitted < 6 {
            let bit = UInt64(rest.trailingZeroBitCount)
            emit(template, bit + 1)
            rest &= rest - 1
            emitted += 1
        }
    }
}
