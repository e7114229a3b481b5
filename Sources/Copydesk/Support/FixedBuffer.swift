/// A buffer of a fixed number of elements that owns its memory and hands out a stable pointer.
///
/// For the loops that pass one buffer to concurrent blocks and to C or BLAS on every iteration:
/// an `Array` would have to be re-entered through `withUnsafe…` closures for each use, and the
/// pointer of one of those closures must not escape it. The buffer's pointer is valid while the
/// buffer lives; concurrent writers must write disjoint elements.
final class FixedBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating value: Element, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: count)
    }

    init(_ elements: [Element]) {
        count = elements.count
        pointer = .allocate(capacity: max(count, 1))
        elements.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.initialize(from: base, count: count) } }
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    subscript(i: Int) -> Element {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    /// The elements as a buffer (valid while this buffer lives).
    var buffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}
