/// Turns one text into term ids with counts: tokenize, drop stop words, form n-grams, look up.
///
/// One counter per thread; it reuses its buffers between documents.
struct TermCounter {
    let tokenizer: Tokenizer
    let ngrams: ClosedRange<Int>
    let stopWords: TermTable?
    private var tokens = TokenList()
    private var kept: [Range<Int>] = []
    private var gram: [UInt8] = []
    private var ids: [Int32] = []

    init(configuration: TFIDFConfiguration, stopWords: TermTable?) {
        tokenizer = Tokenizer(configuration.tokenizer)
        ngrams = configuration.ngrams
        self.stopWords = stopWords
    }

    /// Calls `lookup` with the bytes of every term of `text` in order, collecting the ids it returns
    /// (nil = unknown term, skipped); then returns sorted (id, count) runs through `emit`.
    mutating func count(
        _ text: UnsafeBufferPointer<UInt8>,
        lookup: (UnsafeBufferPointer<UInt8>) -> Int?,
        emit: (Int32, Int32) -> Void
    ) {
        tokens.removeAll()
        kept.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        tokenizer.tokenize(text, into: &tokens)
        tokens.bytes.withUnsafeBufferPointer { bytes in
            for t in 0..<tokens.count {
                let r = tokens.range(t)
                if let stopWords, stopWords.id(of: UnsafeBufferPointer(rebasing: bytes[r])) != nil { continue }
                kept.append(r)
            }
            for n in ngrams where n <= kept.count {
                if n == 1 {
                    for r in kept {
                        if let id = lookup(UnsafeBufferPointer(rebasing: bytes[r])) { ids.append(Int32(id)) }
                    }
                    continue
                }
                for start in 0...(kept.count - n) {
                    gram.removeAll(keepingCapacity: true)
                    for k in start..<(start + n) {
                        if k > start { gram.append(0x20) }
                        gram.append(contentsOf: bytes[kept[k]])
                    }
                    let id = gram.withUnsafeBufferPointer { lookup($0) }
                    if let id { ids.append(Int32(id)) }
                }
            }
        }
        // Parts of compound tokens count as extra unigrams.
        if ngrams.contains(1) && !tokens.partEnds.isEmpty {
            tokens.partBytes.withUnsafeBufferPointer { bytes in
                for p in 0..<tokens.partEnds.count {
                    let key = UnsafeBufferPointer(rebasing: bytes[tokens.partRange(p)])
                    if let stopWords, stopWords.id(of: key) != nil { continue }
                    if let id = lookup(key) { ids.append(Int32(id)) }
                }
            }
        }
        ids.sort()
        var i = 0
        while i < ids.count {
            var j = i + 1
            while j < ids.count && ids[j] == ids[i] { j += 1 }
            emit(ids[i], Int32(j - i))
            i = j
        }
    }
}
