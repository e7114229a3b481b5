import Foundation

/// Turns one text into term ids with counts: tokenize, drop stop words, form n-grams, look up.
///
/// Each kept token is hashed once (by the tokenizer, as it is stored); an n-gram's hash is combined
/// from its tokens' hashes and it is compared in place (``TermKey``), so no n-gram is copied or
/// rehashed to be looked up. One counter per thread: it reuses its raw buffers between documents,
/// so counting a document allocates nothing once the buffers have grown to fit.
final class TermCounter {
    let tokenizer: Tokenizer
    let ngrams: ClosedRange<Int>
    let stopWords: TermTable?
    private var tokens = TokenList()
    /// Kept tokens' byte ranges when stop words are dropped (otherwise the token bounds serve).
    private var starts = ScratchBuffer<Int>()
    private var ends = ScratchBuffer<Int>()
    private var hashes = ScratchBuffer<UInt64>()
    private var keyHashes = ScratchBuffer<UInt64>()
    private var ids = ScratchBuffer<Int32>()
    private var sorted = ScratchBuffer<Int32>()
    private var counts = ScratchBuffer<Int32>()
    private var histograms = ScratchBuffer<Int>(capacity: 4 * 256)

    init(configuration: TFIDFConfiguration, stopWords: TermTable?) {
        tokenizer = Tokenizer(configuration.tokenizer)
        ngrams = configuration.ngrams
        self.stopWords = stopWords
    }

    /// Bytes held by the counter's buffers.
    var retainedBytes: Int {
        tokens.retainedBytes + 8 * (starts.capacity + ends.capacity + hashes.capacity + keyHashes.capacity)
            + 4 * (ids.capacity + sorted.capacity + counts.capacity)
    }

    /// The distinct terms of `text` that `lookup` knows (it returns nil for an unknown term), in
    /// increasing order of what it returns (ids, or records laid out in id order), and how often
    /// each occurs. The buffers are the counter's own, valid until its next call.
    func count(
        _ text: UnsafeBufferPointer<UInt8>, lookup: (TermKey) -> Int?
    ) -> (ids: UnsafeBufferPointer<Int32>, counts: UnsafeBufferPointer<Int32>) {
        prepare(text)
        return lookUpPrepared(lookup)
    }

    /// What ``prepare(_:)`` left for ``lookUpPrepared(_:)``: the kept tokens and the key count.
    private var prepared = (kept: 0, keys: 0, starts: UnsafePointer<Int>?.none, ends: UnsafePointer<Int>?.none)

    /// The hashes of the prepared text's n-grams, in lookup order (valid until the next `prepare`).
    var keyHashesOfPrepared: UnsafeBufferPointer<UInt64> {
        UnsafeBufferPointer(start: keyHashes.base, count: prepared.keys)
    }

    /// The first half of ``count(_:lookup:)``: tokenizes `text`, drops stop words and hashes the
    /// n-grams, keeping them for ``lookUpPrepared(_:)``; in between, a caller can start fetching
    /// what the lookups will read (``keyHashesOfPrepared``).
    func prepare(_ text: UnsafeBufferPointer<UInt8>) {
        tokens.removeAll()
        tokenizer.tokenize(text, into: &tokens)
        let storage = tokens.storage.tokens
        let base = UnsafePointer(storage.bytes)
        let tokenCount = storage.count
        let keyCapacity = tokenCount * ngrams.count + tokens.storage.parts.count + 1
        keyHashes.reserve(keyCapacity)
        ids.reserve(keyCapacity)

        // Kept tokens: all of them, or those that are not stop words.
        var kept = tokenCount
        var keptStarts = UnsafePointer(storage.bounds), keptEnds = UnsafePointer(storage.bounds + 1)
        var keptHashes = UnsafePointer(storage.hashes)
        if let stopWords {
            starts.reserve(tokenCount)
            ends.reserve(tokenCount)
            hashes.reserve(tokenCount)
            kept = 0
            for t in 0..<tokenCount {
                let s = storage.bounds[t], e = storage.bounds[t + 1], h = storage.hashes[t]
                if TermCounter.withUnigram(base, s, e, h, { stopWords.id(of: $0) }) != nil { continue }
                starts.base[kept] = s
                ends.base[kept] = e
                hashes.base[kept] = h
                kept += 1
            }
            keptStarts = UnsafePointer(starts.base)
            keptEnds = UnsafePointer(ends.base)
            keptHashes = UnsafePointer(hashes.base)
        }

        // Every n-gram's hash first, so that their slots can be fetched together.
        let kh = keyHashes.base
        var keys = 0
        for size in ngrams where size <= kept {
            for start in 0...(kept - size) {
                var h = TermHash.seed
                for k in start..<(start + size) { h = TermHash.combine(h, keptHashes[k]) }
                kh[keys] = TermHash.finish(h)
                keys += 1
            }
        }
        prepared = (kept, keys, keptStarts, keptEnds)
    }

    /// The second half of ``count(_:lookup:)`` for the text given to ``prepare(_:)``.
    func lookUpPrepared(_ lookup: (TermKey) -> Int?) -> (ids: UnsafeBufferPointer<Int32>, counts: UnsafeBufferPointer<Int32>) {
        let storage = tokens.storage.tokens, parts = tokens.storage.parts
        let base = UnsafePointer(storage.bytes)
        let kept = prepared.kept
        let keptStarts = prepared.starts!, keptEnds = prepared.ends!
        let kh = keyHashes.base
        let found = ids.base
        var foundCount = 0
        var next = 0
        for size in ngrams where size <= kept {
            for start in 0...(kept - size) {
                let key = TermKey(base: base, starts: keptStarts + start, ends: keptEnds + start, count: size,
                                  hash: kh[next])
                next += 1
                if let id = lookup(key) {
                    found[foundCount] = Int32(id)
                    foundCount += 1
                }
            }
        }
        // Parts of compound tokens count as extra unigrams.
        if ngrams.contains(1) && parts.count > 0 {
            let partBase = UnsafePointer(parts.bytes)
            for p in 0..<parts.count {
                let s = parts.bounds[p], e = parts.bounds[p + 1], h = parts.hashes[p]
                if let stopWords, TermCounter.withUnigram(partBase, s, e, h, { stopWords.id(of: $0) }) != nil { continue }
                if let id = TermCounter.withUnigram(partBase, s, e, h, lookup) {
                    found[foundCount] = Int32(id)
                    foundCount += 1
                }
            }
        }

        // Sort the ids and count the runs.
        sorted.reserve(foundCount)
        TermCounter.sort(UnsafeMutableBufferPointer(start: found, count: foundCount), scratch: sorted.base,
                         histograms: histograms.base)
        counts.reserve(foundCount)
        let c = counts.base
        var distinct = 0
        var i = 0
        while i < foundCount {
            var j = i + 1
            let id = found[i]
            while j < foundCount && found[j] == id { j += 1 }
            found[distinct] = id
            c[distinct] = Int32(j - i)
            distinct += 1
            i = j
        }
        return (UnsafeBufferPointer(start: found, count: distinct), UnsafeBufferPointer(start: c, count: distinct))
    }

    /// Calls `body` with the key of the single token at `s..<e` of `base`, whose segment hash is `h`.
    @inline(__always)
    private static func withUnigram(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ h: UInt64,
                                    _ body: (TermKey) -> Int?) -> Int? {
        var start = s, end = e
        return withUnsafePointer(to: &start) { s in
            withUnsafePointer(to: &end) { e in
                body(TermKey(base: base, starts: s, ends: e, count: 1,
                             hash: TermHash.finish(TermHash.combine(TermHash.seed, h))))
            }
        }
    }

    /// Sorts non-negative ids: least-significant-digit radix sort, 8 bits per pass, skipping
    /// the passes of bytes that all ids share (those above the largest id); `scratch` has room for
    /// `a.count` values, `histograms` for 4 × 256. Short inputs use insertion sort.
    static func sort(_ a: UnsafeMutableBufferPointer<Int32>, scratch: UnsafeMutablePointer<Int32>,
                     histograms c: UnsafeMutablePointer<Int>) {
        let n = a.count
        guard n > 64 else {
            for i in 1..<max(n, 1) {
                let v = a[i]
                var j = i
                while j > 0 && a[j - 1] > v { a[j] = a[j - 1]; j -= 1 }
                a[j] = v
            }
            return
        }
        var largest: Int32 = 0
        for v in a where v > largest { largest = v }
        let passes = largest < 1 << 8 ? 1 : largest < 1 << 16 ? 2 : largest < 1 << 24 ? 3 : 4
        // The histograms of the bytes in use, in one pass over the ids.
        c.update(repeating: 0, count: 256 * passes)
        for k in 0..<n {
            let v = UInt32(bitPattern: a[k])
            c[Int(v & 255)] += 1
            if passes > 1 { c[256 + Int((v >> 8) & 255)] += 1 }
            if passes > 2 { c[512 + Int((v >> 16) & 255)] += 1 }
            if passes > 3 { c[768 + Int(v >> 24)] += 1 }
        }
        var src = a.baseAddress!, dst = scratch
        for pass in 0..<passes {
            let h = c + 256 * pass
            let shift = UInt32(8 * pass)
            if h[Int((UInt32(bitPattern: src[0]) >> shift) & 255)] == n { continue }
            var total = 0
            for b in 0..<256 { let x = h[b]; h[b] = total; total += x }
            for k in 0..<n {
                let v = src[k]
                let b = Int((UInt32(bitPattern: v) >> shift) & 255)
                dst[h[b]] = v
                h[b] += 1
            }
            swap(&src, &dst)
        }
        if src != a.baseAddress! { a.baseAddress!.update(from: src, count: n) }
    }

    /// ``sort(_:scratch:histograms:)`` on an array (for tests).
    static func sort(_ a: inout [Int32]) {
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: max(a.count, 1))
        let histograms = UnsafeMutablePointer<Int>.allocate(capacity: 4 * 256)
        defer { scratch.deallocate(); histograms.deallocate() }
        a.withUnsafeMutableBufferPointer { sort($0, scratch: scratch, histograms: histograms) }
    }
}

/// Term counters lent to single-text calls on any thread: a call takes one (or makes one when all
/// are in use) and gives it back, so that its buffers are reused instead of allocated and grown for
/// each text. Keeps at most ``limit`` counters, and none whose buffers grew past ``largest`` bytes.
final class CounterPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [TermCounter] = []
    private let make: @Sendable () -> TermCounter
    static let limit = 8
    static let largest = 4 << 20

    init(_ make: @escaping @Sendable () -> TermCounter) { self.make = make }

    func with<R>(_ body: (TermCounter) -> R) -> R {
        lock.lock()
        let counter = idle.popLast()
        lock.unlock()
        let c = counter ?? make()
        let result = body(c)
        if c.retainedBytes <= CounterPool.largest {
            lock.lock()
            if idle.count < CounterPool.limit { idle.append(c) }
            lock.unlock()
        }
        return result
    }
}
