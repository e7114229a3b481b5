/// Byte segments stored back to back in raw memory: `bytes`, `bounds` (`bounds[0] = 0`; segment
/// `i` is `bounds[i]..<bounds[i + 1]`, so `bounds` and `bounds + 1` are the starts and ends) and
/// each segment's ``TermHash/segmentHash(_:_:)``. A value type over memory its owner frees.
///
/// `bytes` has ``slack`` initialised bytes past its capacity, so that a segment's hash can read its
/// last bytes as one word (``TermHash/segmentHashPadded(_:_:)``).
struct SegmentBuffer {
    static let slack = 8

    private(set) var bytes: UnsafeMutablePointer<UInt8>
    var byteCount = 0
    private(set) var byteCapacity: Int
    private(set) var bounds: UnsafeMutablePointer<Int>
    private(set) var hashes: UnsafeMutablePointer<UInt64>
    var count = 0
    private(set) var capacity: Int

    init(bytes: Int, segments: Int) {
        byteCapacity = bytes
        capacity = segments
        self.bytes = .allocate(capacity: bytes + SegmentBuffer.slack)
        self.bytes.initialize(repeating: 0, count: bytes + SegmentBuffer.slack)
        bounds = .allocate(capacity: segments + 1)
        hashes = .allocate(capacity: segments)
        bounds[0] = 0
    }

    func deallocate() {
        bytes.deallocate()
        bounds.deallocate()
        hashes.deallocate()
    }

    func copy() -> SegmentBuffer {
        var c = SegmentBuffer(bytes: byteCapacity, segments: capacity)
        c.bytes.update(from: bytes, count: byteCount)
        c.bounds.update(from: bounds, count: count + 1)
        c.hashes.update(from: hashes, count: count)
        c.byteCount = byteCount
        c.count = count
        return c
    }

    private static func grow<T>(_ p: inout UnsafeMutablePointer<T>, used: Int, to capacity: Int) {
        let q = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        q.moveInitialize(from: p, count: used)
        p.deallocate()
        p = q
    }

    /// ``grow(_:used:to:)`` for the bytes, with their zeroed slack.
    private static func growBytes(_ p: inout UnsafeMutablePointer<UInt8>, used: Int, to capacity: Int) {
        grow(&p, used: used, to: capacity + slack)
        (p + used).initialize(repeating: 0, count: capacity + slack - used)
    }

    /// Room for `needed` bytes and `segments` segments in all, keeping what is stored.
    mutating func reserve(bytes needed: Int, segments: Int) {
        if needed > byteCapacity {
            byteCapacity = max(needed, 2 * byteCapacity)
            SegmentBuffer.growBytes(&bytes, used: byteCount, to: byteCapacity)
        }
        if segments > capacity {
            capacity = max(segments, 2 * capacity)
            SegmentBuffer.grow(&bounds, used: count + 1, to: capacity + 1)
            SegmentBuffer.grow(&hashes, used: count, to: capacity)
        }
    }

    /// Bytes held.
    var retainedBytes: Int { byteCapacity + 16 * capacity }

    func range(_ i: Int) -> Range<Int> {
        precondition(i >= 0 && i < count, "index out of range")
        return bounds[i]..<bounds[i + 1]
    }

    func string(_ i: Int) -> String {
        let r = range(i)
        return String(decoding: UnsafeBufferPointer(start: bytes + r.lowerBound, count: r.count), as: UTF8.self)
    }

    /// Ends the segment made of the bytes since the end of the previous one; room for one more
    /// segment must have been reserved.
    @inline(__always)
    mutating func endSegment() {
        let start = bounds[count]
        hashes[count] = TermHash.segmentHashPadded(bytes + start, byteCount - start)
        bounds[count + 1] = byteCount
        count += 1
    }
}
