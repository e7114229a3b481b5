#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only set of byte strings with dense ids, stored in one arena.
///
/// Open addressing with linear probing over a power-of-two slot array; the load factor stays under
/// 1/2. Each slot holds the id and the upper 32 bits of the key's hash, so a probe that misses
/// (most bigrams of a new article) touches one cache line and no key bytes. Keys are compared as
/// bytes, so no `String` is made per lookup.
///
/// - Complexity: expected O(length of the key) per ``insert(_:)`` and ``id(of:)``.
public struct TermTable: Sendable {
    private(set) var arena: [UInt8] = []
    /// `ends[id]` is one past the last byte of term `id` in `arena`.
    private(set) var ends: [Int] = []
    private var hashes: [UInt64] = []
    /// `(hash >> 32) << 32 | (id + 1)`; 0 is an empty slot.
    private var slots: [UInt64]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func slotEntry(_ h: UInt64, _ id: Int) -> UInt64 { (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1) }

    public var count: Int { ends.count }

    /// FNV-1a, 64-bit, finished with a multiply-xorshift so the low bits used for slots mix well.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }

    @inline(__always)
    func range(_ id: Int) -> Range<Int> { (id == 0 ? 0 : ends[id - 1])..<ends[id] }

    /// The bytes of term `id`.
    public func bytes(_ id: Int) -> ArraySlice<UInt8> { arena[range(id)] }

    /// Term `id` as a string (invalid UTF-8 is repaired for display).
    public func string(_ id: Int) -> String { String(decoding: bytes(id), as: UTF8.self) }

    @inline(__always)
    private func equal(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let r = range(id)
        guard r.count == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            memcmp(a.baseAddress! + r.lowerBound, key.baseAddress!, r.count) == 0
        }
    }

    /// The id of `key`, or nil.
    @inline(__always)
    public func id(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard key.count > 0 else { return nil }
        let h = TermTable.hash(key)
        let fingerprint = h & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { table in
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let entry = table[s]
                if entry == 0 { return nil }
                if entry & 0xFFFF_FFFF_0000_0000 == fingerprint {
                    let id = Int(entry & 0xFFFF_FFFF) - 1
                    if equal(id, key) { return id }
                }
                s = (s + 1) & mask
            }
        }
    }

    public func id(of key: String) -> Int? {
        var k = key
        return k.withUTF8 { id(of: $0) }
    }

    /// The id of `key`, inserting it with the next id if it is new.
    @inline(__always)
    @discardableResult
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let h = TermTable.hash(key)
        let fingerprint = h & 0xFFFF_FFFF_0000_0000
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[s]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == fingerprint {
                let id = Int(entry & 0xFFFF_FFFF) - 1
                if equal(id, key) { return id }
            }
            s = (s + 1) & mask
        }
        let id = ends.count
        arena.append(contentsOf: key)
        ends.append(arena.count)
        hashes.append(h)
        slots[s] = TermTable.slotEntry(h, id)
        if ends.count * 2 > slots.count { grow() }
        return id
    }

    @discardableResult
    public mutating func insert(_ key: String) -> Int {
        var k = key
        return k.withUTF8 { insert($0) }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for id in 0..<hashes.count {
            var s = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = TermTable.slotEntry(hashes[id], id)
        }
    }

    /// Rebuilds a table from serialized parts (``arena`` and ``ends``), as stored in model files.
    init(arena: [UInt8], ends: [Int]) {
        self.init(capacity: ends.count)
        self.arena = arena
        self.ends = ends
        hashes.reserveCapacity(ends.count)
        arena.withUnsafeBufferPointer { a in
            for id in 0..<ends.count {
                let r = range(id)
                hashes.append(TermTable.hash(UnsafeBufferPointer(rebasing: a[r])))
            }
        }
        arena.withUnsafeBufferPointer { a in
            for id in 0..<hashes.count {
                let h = hashes[id]
                var s = Int(truncatingIfNeeded: h) & mask
                while slots[s] != 0 {
                    let entry = slots[s]
                    if entry & 0xFFFF_FFFF_0000_0000 == h & 0xFFFF_FFFF_0000_0000,
                       equal(Int(entry & 0xFFFF_FFFF) - 1, UnsafeBufferPointer(rebasing: a[range(id)])) {
                        hasDuplicates = true
                    }
                    s = (s + 1) & mask
                }
                slots[s] = TermTable.slotEntry(h, id)
            }
        }
    }

    /// True when a table rebuilt from serialized parts held the same term twice (a damaged or
    /// hand-made model file).
    private(set) var hasDuplicates = false

    enum Precedence { case before, after, tie }

    /// Sorts term ids by `primary`, then by their bytes (UTF-8 byte order is code-point order).
    func sortByBytes(_ ids: inout [Int], primary: (Int, Int) -> Precedence = { _, _ in .tie }) {
        arena.withUnsafeBufferPointer { a in
            let base = a.baseAddress
            ids.sort { x, y in
                switch primary(x, y) {
                case .before: return true
                case .after: return false
                case .tie: break
                }
                let rx = range(x), ry = range(y)
                let m = min(rx.count, ry.count)
                let c = m == 0 ? 0 : memcmp(base! + rx.lowerBound, base! + ry.lowerBound, m)
                return c != 0 ? c < 0 : rx.count < ry.count
            }
        }
    }
}
