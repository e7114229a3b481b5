import CKernels
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
        var size = 16
        while size < vocabulary.count * 2 { size <<= 1 }
        mask = size - 1
        var words = 0
        for id in 0..<vocabulary.count { words += 2 + (vocabulary.range(id).count + 7) / 8 }
        precondition(words < Int(Int32.max), "vocabulary too large for 32-bit record offsets")
        // Records in id order, then the slots filled block by block (``TermTable/slotOrder(_:mask:)``).
        var offsets = [Int](repeating: 0, count: vocabulary.count)
        let recordArray: [UInt64] = vocabulary.arena.withUnsafeBytes { arena in
            HugePages.array(count: words) { r in
                r.initialize(repeating: 0)
                let bytes = UnsafeMutableRawPointer(r.baseAddress!)
                var at = 0
                for id in 0..<vocabulary.count {
                    let range = vocabulary.range(id)
                    offsets[id] = at
                    r[at] = UInt64(id) | UInt64(range.count) << 32
                    r[at + 1] = idf[id].bitPattern
                    (bytes + 8 * (at + 2)).copyMemory(from: arena.baseAddress! + range.lowerBound, byteCount: range.count)
                    at += 2 + (range.count + 7) / 8
                }
            }
        }
        let mask = mask
        let slotArray: [UInt64] = vocabulary.hashes.withUnsafeBufferPointer { hashes in
            let order = TermTable.slotOrder(hashes, mask: mask)
            return HugePages.array(count: size) { slots in
                slots.initialize(repeating: 0)
                for id32 in order {
                    let id = Int(id32)
                    let h = hashes[id]
                    var s = Int(truncatingIfNeeded: h) & mask
                    while slots[s] != 0 { s = (s + 1) & mask }
                    slots[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(offsets[id] + 1)
                }
            }
        }
        slots = slotArray
        records = recordArray
    }

    /// Bytes held by the index.
    var byteCount: Int { 8 * (slots.count + records.count) }

    /// Starts fetching the slots of keys with these `hashes`, then the records of those whose
    /// fingerprints match at their home slot (prefetches: the misses of all the keys overlap).
    func warm(_ hashes: UnsafeBufferPointer<UInt64>) {
        slots.withUnsafeBufferPointer { table in
            records.withUnsafeBufferPointer { r in
                guard let t = table.baseAddress, let base = r.baseAddress else { return }
                for h in hashes { copydesk_prefetch(t + (Int(truncatingIfNeeded: h) & mask)) }
                for h in hashes {
                    let entry = t[Int(truncatingIfNeeded: h) & mask]
                    guard entry != 0, entry & 0xFFFF_FFFF_0000_0000 == h & 0xFFFF_FFFF_0000_0000 else { continue }
                    copydesk_prefetch(base + Int(entry & 0xFFFF_FFFF) - 1)
                }
            }
        }
    }

    /// The id of the n-gram `key`, or nil.
    func id(of key: TermKey) -> Int? { record(of: key).map(id(atRecord:)) }

    /// The offset of the record of the n-gram `key`, or nil; its bytes are compared with the record's.
    @inline(__always)
    func record(of key: TermKey) -> Int? {
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
                        if key.matches(bytes, count: Int(r[at] >> 32)) {
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
