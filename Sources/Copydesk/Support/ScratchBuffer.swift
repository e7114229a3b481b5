/// A raw buffer that only grows; its contents are not kept when it does (callers refill it).
struct ScratchBuffer<T>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ n: Int) {
        if n > capacity {
            base.deallocate()
            capacity = max(n, 2 * capacity)
            base = .allocate(capacity: capacity)
        }
    }
}
