/// Turns one text into term ids with counts: tokenize, drop stop words, form n-grams, look up.
///
/// Each kept token is hashed once; an n-gram's hash is combined from its tokens' hashes and it is
/// compared in place (``TermKey``), so no n-gram is copied or rehashed to be looked up.
/// One counter per thread; it reuses its buffers between documents.
struct TermCounter {
    let tokenizer: Tokenizer
    let ngrams: ClosedRange<Int>
    let stopWords: TermTable?
    private var tokens = TokenList()
    /// Kept tokens: byte ranges in `tokens.bytes` and segment hashes.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    private var ids: [Int32] = []
    private var keyHashes: [UInt64] = []
    /// Where the values of ``TermTable/warm(_:)`` go, so that its loads are not optimised away.
    private(set) var warmSink: UInt64 = 0

    init(configuration: TFIDFConfiguration, stopWords: TermTable?) {
        tokenizer = Tokenizer(configuration.tokenizer)
        ngrams = configuration.ngrams
        self.stopWords = stopWords
    }

    /// Calls `lookup` with every term of `text` in order, collecting the ids it returns (nil =
    /// unknown term, skipped); then returns sorted (id, count) runs through `emit`.
    mutating func count(
        _ text: UnsafeBufferPointer<UInt8>,
        warm: (UnsafeBufferPointer<UInt64>) -> UInt64 = { _ in 0 },
        lookup: (TermKey) -> Int?,
        emit: (Int32, Int32) -> Void
    ) {
        tokens.removeAll()
        // One allocation per buffer for a fresh counter, instead of a chain of doublings.
        if tokens.bytes.capacity < text.count {
            let guess = text.count / 4 + 16
            tokens.bytes.reserveCapacity(text.count)
            tokens.ends.reserveCapacity(guess)
            starts.reserveCapacity(guess)
            ends.reserveCapacity(guess)
            hashes.reserveCapacity(guess)
            ids.reserveCapacity(2 * guess)
            keyHashes.reserveCapacity(2 * guess)
        }
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        tokenizer.tokenize(text, into: &tokens)
        tokens.bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            for t in 0..<tokens.count {
                let r = tokens.range(t)
                let h = TermTable.segmentHash(base + r.lowerBound, r.count)
                if let stopWords, TermCounter.withUnigram(base, r, h, { stopWords.id(of: $0) }) != nil { continue }
                starts.append(r.lowerBound)
                ends.append(r.upperBound)
                hashes.append(h)
            }
            let kept = starts.count
            starts.withUnsafeBufferPointer { sp in
                ends.withUnsafeBufferPointer { ep in
                    hashes.withUnsafeBufferPointer { hp in
                        // Every n-gram's hash first, so that `warm` can fetch their slots together.
                        keyHashes.removeAll(keepingCapacity: true)
                        for n in ngrams where n <= kept {
                            for start in 0...(kept - n) {
                                var h = TermTable.seed
                                for k in start..<(start + n) { h = TermTable.combine(h, hp[k]) }
                                keyHashes.append(TermTable.finish(h))
                            }
                        }
                        keyHashes.withUnsafeBufferPointer { warmSink ^= warm($0) }
                        var next = 0
                        for n in ngrams where n <= kept {
                            for start in 0...(kept - n) {
                                let key = TermKey(base: base, starts: sp.baseAddress! + start, ends: ep.baseAddress! + start,
                                                  count: n, hash: keyHashes[next])
                                next += 1
                                if let id = lookup(key) { ids.append(Int32(id)) }
                            }
                        }
                    }
                }
            }
        }
        // Parts of compound tokens count as extra unigrams.
        if ngrams.contains(1) && !tokens.partEnds.isEmpty {
            tokens.partBytes.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                for p in 0..<tokens.partEnds.count {
                    let r = tokens.partRange(p)
                    let h = TermTable.segmentHash(base + r.lowerBound, r.count)
                    if let stopWords, TermCounter.withUnigram(base, r, h, { stopWords.id(of: $0) }) != nil { continue }
                    if let id = TermCounter.withUnigram(base, r, h, lookup) { ids.append(Int32(id)) }
                }
            }
        }
        TermCounter.sort(&ids)
        var i = 0
        while i < ids.count {
            var j = i + 1
            while j < ids.count && ids[j] == ids[i] { j += 1 }
            emit(ids[i], Int32(j - i))
            i = j
        }
    }

    /// Calls `body` with the key of the single token at `r` of `base`, whose segment hash is `h`.
    @inline(__always)
    private static func withUnigram(_ base: UnsafePointer<UInt8>, _ r: Range<Int>, _ h: UInt64,
                                    _ body: (TermKey) -> Int?) -> Int? {
        var start = r.lowerBound, end = r.upperBound
        return withUnsafePointer(to: &start) { s in
            withUnsafePointer(to: &end) { e in
                body(TermKey(base: base, starts: s, ends: e, count: 1,
                             hash: TermTable.finish(TermTable.combine(TermTable.seed, h))))
            }
        }
    }

    /// Sorts non-negative ids: least-significant-digit radix sort, 8 bits per pass, skipping
    /// passes above the largest id. The scratch space is temporary (on the stack when small).
    static func sort(_ a: inout [Int32]) {
        let n = a.count
        guard n > 64 else { a.sort(); return }
        var largest: Int32 = 0
        for v in a where v > largest { largest = v }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { buffer in
                a.withUnsafeMutableBufferPointer { src in
                    var shift: Int32 = 0
                    while shift == 0 || (shift < 32 && (largest >> shift) > 0) {
                        counts.update(repeating: 0)
                        for v in src { counts[Int((v >> shift) & 255)] += 1 }
                        var total = 0
                        for b in 0..<256 { let c = counts[b]; counts[b] = total; total += c }
                        for v in src {
                            let b = Int((v >> shift) & 255)
                            buffer[counts[b]] = v
                            counts[b] += 1
                        }
                        _ = src.update(fromContentsOf: buffer)
                        shift += 8
                    }
                }
            }
        }
    }
}
