import Foundation

/// The fitted vocabulary laid out for lookups of a text's n-grams.
///
/// A ``TermTable`` lookup that finds its slot reads three places in turn: the slot, the term's end
/// offset, then its bytes to compare. In a large model each is usually a cache miss. Here each term
/// is one record — its id and length, then its bytes — and the slot holds the record's offset, so
/// a found term costs two reads (slot, record), and the comparison is still exact.
///
/// A record also holds the term's idf, so that weighting a found term reads no other array, and
/// records are in id order: counting a text's terms by record offset sorts them by id.
///
/// Slots: `(hash >> 32) << 32 | (record offset in words + 1)`, open addressing with linear probing,
/// load under 1/2, the same hashes as ``TermTable``. Records are 8-byte aligned: one word
/// `id | length << 32`, one word with the idf's bits, then the bytes, zero-padded to a word.
struct VocabularyIndex: Sendable {
    private let slots: [UInt64]
    private let mask: Int
    private let records: [UInt64]

    init(_ vocabulary: TermTable, idf: [Double]) {
        precondition(idf.count == vocabulary.count, "one idf per term")
        self = vocabulary.arena.withUnsafeBufferPointer { arena in
            vocabulary.ends.withUnsafeBufferPointer { ends in
                vocabulary.hashes.withUnsafeBufferPointer { hashes in
                    idf.withUnsafeBufferPointer { idf in
                        VocabularyIndex(arena: arena, ends: ends, hashes: hashes, idf: idf, threads: 1)
                    }
                }
            }
        }
    }

    private init(slots: [UInt64], mask: Int, records: [UInt64]) {
        self.slots = slots
        self.mask = mask
        self.records = records
    }

    /// The index of the terms `ends` delimits in `arena` (``TermTable``'s layout), whose
    /// ``TermHash/hash(_:)`` are `hashes`; the records are written on up to `threads` threads.
    init(arena: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>, hashes: UnsafeBufferPointer<UInt64>,
         idf: UnsafeBufferPointer<Double>, threads: Int) {
        let v = ends.count
        var size = 16
        while size < v * 2 { size <<= 1 }
        let mask = size - 1
        guard v > 0 else {
            self.init(slots: [UInt64](repeating: 0, count: size), mask: mask, records: [])
            return
        }
        // Record offsets in words, records in id order.
        var offsets = [Int32](repeating: 0, count: v + 1)
        var words = 0
        for id in 0..<v {
            words += 2 + (ends[id] - (id == 0 ? 0 : ends[id - 1]) + 7) / 8
            precondition(words < Int(Int32.max), "vocabulary too large for 32-bit record offsets")
            offsets[id + 1] = Int32(words)
        }
        // One spare zero word after the last record: a word read from its last bytes stays inside.
        let records: [UInt64] = offsets.withUnsafeBufferPointer { offsets in
            HugePages.array(count: words + 1) { r in
                r[words] = 0
                let out = UncheckedMutablePointer(r.baseAddress!)
                let (a, e, f, o) = (UncheckedPointer(arena.baseAddress ?? UnsafePointer(bitPattern: 8)!),
                                    UncheckedPointer(ends.baseAddress!), UncheckedPointer(idf.baseAddress!),
                                    UncheckedPointer(offsets.baseAddress!))
                ParallelBlocks(count: v, threads: v >= 1 << 16 ? threads : 1).run { range in
                    let (r, ends, offsets) = (out.pointer, e.pointer, o.pointer)
                    let first = Int(offsets[range.lowerBound]), last = Int(offsets[range.upperBound])
                    (r + first).initialize(repeating: 0, count: last - first)
                    for id in range {
                        let start = id == 0 ? 0 : ends[id - 1], at = Int(offsets[id])
                        r[at] = UInt64(id) | UInt64(ends[id] - start) << 32
                        r[at + 1] = f.pointer[id].bitPattern
                        UnsafeMutableRawPointer(r + at + 2).copyMemory(from: a.pointer + start, byteCount: ends[id] - start)
                    }
                }
            }
        }
        // Slots filled block by block (``TermTable/slotOrder(_:mask:)``).
        let order = TermTable.slotOrder(hashes, mask: mask)
        let slots: [UInt64] = HugePages.array(count: size) { slots in
            slots.initialize(repeating: 0)
            for id32 in order {
                let id = Int(id32)
                let h = hashes[id]
                var s = Int(truncatingIfNeeded: h) & mask
                while slots[s] != 0 { s = (s + 1) & mask }
                slots[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(offsets[id] + 1)
            }
        }
        self.init(slots: slots, mask: mask, records: records)
    }

    /// Bytes held by the index.
    var byteCount: Int { 8 * (slots.count + records.count) }

    /// Starts fetching the slots of keys with these `hashes`, then the records of those whose
    /// fingerprints match at their home slot (prefetches: the misses of all the keys overlap).
    func warm(_ hashes: UnsafeBufferPointer<UInt64>) {
        slots.withUnsafeBufferPointer { table in
            records.withUnsafeBufferPointer { r in
                guard let t = table.baseAddress, let base = r.baseAddress else { return }
                for h in hashes { Kernels.prefetch(t + (Int(truncatingIfNeeded: h) & mask)) }
                for h in hashes {
                    let entry = t[Int(truncatingIfNeeded: h) & mask]
                    guard entry != 0, entry & 0xFFFF_FFFF_0000_0000 == h & 0xFFFF_FFFF_0000_0000 else { continue }
                    Kernels.prefetch(base + Int(entry & 0xFFFF_FFFF) - 1)
                }
            }
        }
    }

    /// The id of the n-gram `key`, or nil.
    func id(of key: TermKey) -> Int? { record(of: key).map(id(atRecord:)) }

    /// The offset of the record of the n-gram `key`, or nil; its bytes are compared with the record's.
    /// `keyPadded` when 8 bytes can be read past any byte of the key's segments (a tokenizer's
    /// buffer): the comparison then reads words (records end with a spare word for the same reason).
    @inline(__always)
    func record(of key: TermKey, keyPadded: Bool = false) -> Int? {
        let fingerprint = key.hash & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { table in
            records.withUnsafeBufferPointer { r in
                var s = Int(truncatingIfNeeded: key.hash) & mask
                while true {
                    let entry = table[s]
                    if entry == 0 { return nil }
                    if entry & 0xFFFF_FFFF_0000_0000 == fingerprint {
                        let at = Int(entry & 0xFFFF_FFFF) - 1
                        let bytes = UnsafeRawPointer(r.baseAddress! + at + 2).assumingMemoryBound(to: UInt8.self)
                        if key.matches(bytes, count: Int(r[at] >> 32), padded: keyPadded) {
                            return at
                        }
                    }
                    s = (s + 1) & mask
                }
            }
        }
    }

    /// The term id in the record at `offset`.
    @inline(__always)
    func id(atRecord offset: Int) -> Int { records.withUnsafeBufferPointer { Int($0[offset] & 0xFFFF_FFFF) } }

    /// The idf in the record at `offset`.
    @inline(__always)
    func idf(atRecord offset: Int) -> Double { records.withUnsafeBufferPointer { Double(bitPattern: $0[offset + 1]) } }
}

/// A vectorizer's ``VocabularyIndex``, built on first use (training never needs it) or handed over
/// ready-made by the model reader; shared by copies of the vectorizer and safe across threads.
final class VocabularyIndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var built: VocabularyIndex?

    init(_ index: VocabularyIndex? = nil) { built = index }

    func index(for vocabulary: TermTable, idf: [Double]) -> VocabularyIndex {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let index = VocabularyIndex(vocabulary, idf: idf)
        built = index
        return index
    }
}
