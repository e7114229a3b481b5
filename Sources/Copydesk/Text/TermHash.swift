/// The hash of a term, shared by the tokenizer (which hashes each token as it stores it) and the
/// term tables (``TermTable``, the summarizer's sentence tables): defined over a term's
/// space-separated segments, so an n-gram's hash follows from its tokens' hashes without joining them.
enum TermHash {
    /// The hash of a key, defined over its space-separated segments so that an n-gram's hash
    /// follows from its tokens' ``segmentHash(_:_:)`` without joining them (``TermKey``):
    /// `finish(combine(…combine(seed, h₁)…, hₙ))`.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 { hash(key, padded: false) }

    /// ``hash(_:)``; `padded` when at least 8 bytes after `key` are readable (a term inside an arena),
    /// so that its segments are hashed with ``segmentHashPadded(_:_:)``. The same value.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>, padded: Bool) -> UInt64 {
        guard let base = key.baseAddress else { return finish(seed) }
        var h = seed, start = 0
        if padded {
            // The spaces found eight bytes at a time: a byte of `w` is zero where the key has a space.
            let raw = UnsafeRawPointer(base), n = key.count
            var i = 0
            while i < n {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ 0x2020_2020_2020_2020
                let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
                var zeros = ~(((w & low7) &+ low7) | w | low7)  // exact: the high bit of each zero byte
                if n - i < 8 { zeros &= (UInt64(1) << UInt64(8 * (n - i))) &- 1 }
                while zeros != 0 {
                    let at = i + zeros.trailingZeroBitCount / 8
                    h = combine(h, segmentHash(base + start, at - start, padded: true))
                    start = at + 1
                    zeros &= zeros &- 1
                }
                i += 8
            }
            return finish(combine(h, segmentHash(base + start, n - start, padded: true)))
        }
        for i in 0..<key.count where base[i] == 0x20 {
            h = combine(h, segmentHash(base + start, i - start, padded: padded))
            start = i + 1
        }
        return finish(combine(h, segmentHash(base + start, key.count - start, padded: padded)))
    }

    static let seed: UInt64 = 0x243F_6A88_85A3_08D3

    @inline(__always)
    static func combine(_ h: UInt64, _ segment: UInt64) -> UInt64 {
        ((h << 23 | h >> 41) ^ segment) &* 0x9E37_79B9_7F4A_7C15
    }

    /// murmur3's 64-bit finaliser: every input bit affects the slot bits and the fingerprint.
    @inline(__always)
    static func finish(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }

    /// A hash of `count` bytes at `p`, eight at a time.
    @inline(__always)
    static func segmentHash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 { segmentHash(p, count, padded: false) }

    /// ``segmentHash(_:_:)`` of `count` bytes at `p` after which at least 8 more bytes are
    /// readable: the last bytes are one load, masked, instead of a loop. The same value.
    @inline(__always)
    static func segmentHashPadded(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 { segmentHash(p, count, padded: true) }

    @inline(__always)
    private static func segmentHash(_ p: UnsafePointer<UInt8>, _ count: Int, padded: Bool) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var h = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            if padded {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                tail = word & (~UInt64(0) >> UInt64(8 * (8 - (count - i))))
            } else {
                for k in i..<count { tail |= UInt64(p[k]) << (8 * UInt64(k - i)) }
            }
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return h
    }
}
