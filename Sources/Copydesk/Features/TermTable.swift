#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An append-only set of byte strings with dense ids, stored in one arena.
///
/// Open addressing with linear probing over a power-of-two slot array; the load factor stays under
/// 1/2. Each slot holds the id and the upper 32 bits of the key's hash, so a probe that misses
/// (most bigrams of a new article) touches one cache line and no key bytes. Keys are compared as
/// bytes, so no `String` is made per lookup.
///
/// - Complexity: expected O(length of the key) per ``insert(_:)-(String)`` and ``id(of:)-(String)``.
public struct TermTable: Sendable {
    private(set) var arena: [UInt8] = []
    /// `ends[id]` is one past the last byte of term `id` in `arena`.
    private(set) var ends: [Int] = []
    private(set) var hashes: [UInt64] = []
    /// `(hash >> 32) << 32 | (id + 1)`; 0 is an empty slot. Empty while `pending` holds them.
    private var slots: [UInt64]
    private var mask: Int
    /// The slots of a table loaded from a model file, made on first use (``PendingSlots``).
    private var pending: PendingSlots?

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = TermTable.emptySlots(size)
        mask = size - 1
    }

    /// `size` empty slots; a large table gets huge pages (it is read at random).
    private static func emptySlots(_ size: Int) -> [UInt64] {
        HugePages.array(count: size) { $0.initialize(repeating: 0) }
    }

    @inline(__always)
    static func slotEntry(_ h: UInt64, _ id: Int) -> UInt64 { (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1) }

    public var count: Int { ends.count }

    /// `memcmp(a, b, n) == 0` inline, eight bytes at a time (terms are short; a call costs more).
    /// `padded` when 8 bytes can be read from any offset below `n` at `a` and at `b` (a
    /// SegmentBuffer's slack, a lookup record's padding): the last bytes are then one masked word
    /// instead of a byte loop.
    @inline(__always)
    static func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int, padded: Bool = false) -> Bool {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        guard i < n else { return true }
        if padded {
            let differ = UInt64(littleEndian: ra.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                                ^ rb.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            return differ & ((UInt64(1) << UInt64(8 * (n - i))) &- 1) == 0
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
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
            TermTable.bytesEqual(a.baseAddress! + r.lowerBound, key.baseAddress!, r.count)
        }
    }

    /// The id of `key`, or nil.
    @inline(__always)
    public func id(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        id(of: key, hash: TermHash.hash(key))
    }

    /// ``id(of:)`` with the key's ``hash(_:)`` already known.
    @inline(__always)
    func id(of key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        guard key.count > 0 else { return nil }
        return probe(h) { equal($0, key) }.id
    }

    /// Linear probing from `h`'s home slot: the id whose fingerprint matches and that `matches`
    /// accepts, or the empty slot where such a key would go.
    @inline(__always)
    private func probe(_ h: UInt64, _ matches: (Int) -> Bool) -> (id: Int?, slot: Int) {
        if let pending { return TermTable.probe(pending.slots(hashes, mask: mask), mask: mask, h, matches) }
        return TermTable.probe(slots, mask: mask, h, matches)
    }

    @inline(__always)
    private static func probe(_ slots: [UInt64], mask: Int, _ h: UInt64, _ matches: (Int) -> Bool) -> (id: Int?, slot: Int) {
        let fingerprint = h & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { table in
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let entry = table[s]
                if entry == 0 { return (nil, s) }
                if entry & 0xFFFF_FFFF_0000_0000 == fingerprint {
                    let id = Int(entry & 0xFFFF_FFFF) - 1
                    if matches(id) { return (id, s) }
                }
                s = (s + 1) & mask
            }
        }
    }

    /// The id of the n-gram `key`, or nil; compares its segments in place.
    @inline(__always)
    func id(of key: TermKey) -> Int? {
        probe(key.hash) { equal($0, key) }.id
    }

    /// The id of the n-gram `key`, inserting it (its segments joined by spaces) if it is new.
    @inline(__always)
    mutating func insert(_ key: TermKey) -> Int {
        if pending != nil { takePendingSlots() }
        let (found, s) = probe(key.hash) { equal($0, key) }
        if let found { return found }
        for i in 0..<key.count {
            if i > 0 { arena.append(0x20) }
            arena.append(contentsOf: UnsafeBufferPointer(start: key.base + key.starts[i], count: key.ends[i] - key.starts[i]))
        }
        return add(hash: key.hash, slot: s)
    }

    @inline(__always)
    private func equal(_ id: Int, _ key: TermKey) -> Bool {
        let r = range(id)
        return arena.withUnsafeBufferPointer { a in key.matches(a.baseAddress! + r.lowerBound, count: r.count) }
    }

    public func id(of key: String) -> Int? {
        var k = key
        return k.withUTF8 { id(of: $0) }
    }

    /// The id of `key`, inserting it with the next id if it is new.
    @inline(__always)
    @discardableResult
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        insert(key, hash: TermHash.hash(key))
    }

    /// ``insert(_:)`` with the key's ``hash(_:)`` already known (when merging tables).
    @inline(__always)
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int {
        if pending != nil { takePendingSlots() }
        let (found, s) = probe(h) { equal($0, key) }
        if let found { return found }
        arena.append(contentsOf: key)
        return add(hash: h, slot: s)
    }

    /// Registers the bytes just appended to the arena as the next id, in the empty slot `s`.
    @inline(__always)
    private mutating func add(hash h: UInt64, slot s: Int) -> Int {
        let id = ends.count
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
        slots = TermTable.emptySlots(size)
        mask = size - 1
        for id in 0..<hashes.count {
            var s = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = TermTable.slotEntry(hashes[id], id)
        }
    }

    /// `mask + 1` slots holding the ids of terms with these `hashes`, filled block by block
    /// (``slotOrder(_:mask:)``).
    static func filledSlots(_ hashes: UnsafeBufferPointer<UInt64>, mask: Int) -> [UInt64] {
        let order = slotOrder(hashes, mask: mask)
        var slots = emptySlots(mask + 1)
        slots.withUnsafeMutableBufferPointer { slots in
            for id32 in order {
                let id = Int(id32)
                var s = Int(truncatingIfNeeded: hashes[id]) & mask
                while slots[s] != 0 { s = (s + 1) & mask }
                slots[s] = slotEntry(hashes[id], id)
            }
        }
        return slots
    }

    /// A table of terms already known to be distinct (a model file's vocabulary, read by
    /// ``LoadedVocabulary``), `hashes` being theirs. Its slots are made on first use: a loaded model
    /// looks terms up through its ``VocabularyIndex``, so most never need them.
    init(distinctTerms arena: [UInt8], ends: [Int], hashes: [UInt64]) {
        precondition(hashes.count == ends.count)
        var size = 16
        while size < ends.count * 2 { size <<= 1 }
        self.arena = arena
        self.ends = ends
        self.hashes = hashes
        slots = []
        mask = size - 1
        pending = PendingSlots()
    }

    /// Makes the pending slots this table's own, before it changes.
    private mutating func takePendingSlots() {
        guard let pending else { return }
        slots = pending.slots(hashes, mask: mask)
        self.pending = nil
    }

    /// Term ids ordered by their home slot's block of 64 slots (a counting sort), so that filling a
    /// large table sweeps it instead of writing at random: one cache miss per block, not per term.
    /// Any insertion order gives a valid table.
    static func slotOrder(_ hashes: UnsafeBufferPointer<UInt64>, mask: Int) -> [Int32] {
        let blocks = (mask >> 6) + 1
        var starts = [Int](repeating: 0, count: blocks + 1)
        for h in hashes { starts[((Int(truncatingIfNeeded: h) & mask) >> 6) + 1] += 1 }
        for b in 0..<blocks { starts[b + 1] += starts[b] }
        return [Int32](unsafeUninitializedCapacity: hashes.count) { out, n in
            for (id, h) in hashes.enumerated() {
                let b = (Int(truncatingIfNeeded: h) & mask) >> 6
                out[starts[b]] = Int32(id)
                starts[b] += 1
            }
            n = hashes.count
        }
    }

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

/// An n-gram given by its tokens' byte ranges in one buffer, with its ``TermTable`` hash computed
/// from the tokens' segment hashes: looked up without joining the tokens.
struct TermKey {
    let base: UnsafePointer<UInt8>
    let starts: UnsafePointer<Int>
    let ends: UnsafePointer<Int>
    let count: Int
    let hash: UInt64

    /// Whether the `count` bytes at `bytes` are this key's segments joined by single spaces.
    @inline(__always)
    func matches(_ bytes: UnsafePointer<UInt8>, count length: Int) -> Bool { matches(bytes, count: length, padded: false) }

    /// ``matches(_:count:)``; `padded` when 8 bytes can be read past any byte of `bytes` and of the
    /// key's segments (a lookup record against a tokenizer's buffer), so tails are compared as words.
    @inline(__always)
    func matches(_ bytes: UnsafePointer<UInt8>, count length: Int, padded: Bool) -> Bool {
        if count == 1 {
            let n = ends[0] - starts[0]
            return n == length && TermTable.bytesEqual(bytes, base + starts[0], n, padded: padded)
        }
        var at = 0
        for i in 0..<count {
            let n = ends[i] - starts[i]
            if i > 0 {
                guard at < length, bytes[at] == 0x20 else { return false }
                at += 1
            }
            guard length - at >= n, TermTable.bytesEqual(bytes + at, base + starts[i], n, padded: padded) else { return false }
            at += n
        }
        return at == length
    }
}

/// The slots of a ``TermTable`` loaded from a model file, filled by the first lookup that needs
/// them (from any thread; once).
private final class PendingSlots: Sendable {
    private let built = Mutex<[UInt64]?>(nil)

    func slots(_ hashes: [UInt64], mask: Int) -> [UInt64] {
        built.withLock { built in
            if let built { return built }
            let slots = hashes.withUnsafeBufferPointer { TermTable.filledSlots($0, mask: mask) }
            built = slots
            return slots
        }
    }
}
