/// A fitted vocabulary rebuilt from a model file: its ``TermTable`` and its ``VocabularyIndex``,
/// on two threads for a large vocabulary.
///
/// Loading a model is mostly this work (hashing every term, laying out the records, filling the
/// index's slots), so it is shared out: the terms are hashed and their order checked in two halves
/// at once, then the records are written in two halves at once. The table's own slots are left
/// until something needs them (``TermTable/init(distinctTerms:ends:hashes:)``): classifying does
/// not, and on this machine fresh memory costs more to fill than anything else in a load.
enum LoadedVocabulary {
    /// The table and index of the terms `ends` delimits in `arena`, or nil when the terms are not
    /// in strictly increasing byte order (a model file stores them sorted, so a repeated or
    /// misplaced term means a damaged file).
    static func build(arena: [UInt8], ends: [Int], idf: [Double], threads: Int) -> (table: TermTable, index: VocabularyIndex)? {
        precondition(idf.count == ends.count, "one idf per term")
        let v = ends.count, arenaCount = arena.count
        guard v > 0 else { return (TermTable(distinctTerms: arena, ends: [], hashes: []), VocabularyIndex(TermTable(), idf: [])) }
        let parallel = v >= 1 << 16 ? threads : 1
        var sorted = true
        let hashes: [UInt64] = arena.withUnsafeBufferPointer { arena in
            ends.withUnsafeBufferPointer { ends in
                [UInt64](unsafeUninitializedCapacity: v) { out, count in
                    let blocks = ParallelBlocks(count: v, threads: parallel)
                    let inOrder = PartResults<Bool>(count: blocks.ranges.count)
                    let (a, e, h) = (UncheckedPointer(arena.baseAddress!), UncheckedPointer(ends.baseAddress!),
                                     UncheckedMutablePointer(out.baseAddress!))
                    blocks.runIndexed { b, range in
                        let (arena, ends) = (a.pointer, e.pointer)
                        var ordered = true
                        for id in range {
                            let start = id == 0 ? 0 : ends[id - 1]
                            // Terms that end at least 8 bytes before the arena does are hashed with word loads.
                            h.pointer[id] = TermHash.hash(UnsafeBufferPointer(start: arena + start, count: ends[id] - start),
                                                           padded: ends[id] + 8 <= arenaCount)
                            if id > 0 {
                                let previous = id == 1 ? 0 : ends[id - 2]
                                ordered = ordered && LoadedVocabulary.precedes(arena + previous, start - previous,
                                                                               arena + start, ends[id] - start,
                                                                               padded: ends[id] + 8 <= arenaCount)
                            }
                        }
                        inOrder.set(b, ordered)
                    }
                    sorted = inOrder.values.allSatisfy { $0 }
                    count = v
                }
            }
        }
        guard sorted else { return nil }
        let index = arena.withUnsafeBufferPointer { arena in
            ends.withUnsafeBufferPointer { ends in
                hashes.withUnsafeBufferPointer { hashes in
                    idf.withUnsafeBufferPointer { idf in
                        VocabularyIndex(arena: arena, ends: ends, hashes: hashes, idf: idf, threads: parallel)
                    }
                }
            }
        }
        return (TermTable(distinctTerms: arena, ends: ends, hashes: hashes), index)
    }

    /// Whether the `n` bytes at `x` come strictly before the `m` bytes at `y` in byte order;
    /// `padded` when 8 bytes can be read from any offset below `n` at `x` and below `m` at `y`
    /// (compared eight at a time, as big-endian words).
    @inline(__always)
    static func precedes(_ x: UnsafePointer<UInt8>, _ n: Int, _ y: UnsafePointer<UInt8>, _ m: Int, padded: Bool = false) -> Bool {
        var i = 0
        if padded {
            let common = min(n, m)
            while i < common {
                var a = UInt64(bigEndian: UnsafeRawPointer(x).loadUnaligned(fromByteOffset: i, as: UInt64.self))
                var b = UInt64(bigEndian: UnsafeRawPointer(y).loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if common - i < 8 {
                    let drop = UInt64(8 * (8 - (common - i)))
                    a >>= drop
                    b >>= drop
                }
                if a != b { return a < b }
                i += 8
            }
            return n < m
        }
        while i < n && i < m {
            if x[i] != y[i] { return x[i] < y[i] }
            i += 1
        }
        return n < m
    }
}
