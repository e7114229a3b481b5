/// Per-slot state of ``ParallelBlocks/dynamic(count:chunk:threads:_:)`` kept across its calls: a
/// stream's workers (with their caches) made once per slot, not once per batch.
///
/// Slot `i` is only touched by the worker running with slot `i`, and calls of `dynamic` do not
/// overlap, so no two threads use a slot at the same time; the join at the end of each call orders
/// one batch's use before the next. A raw buffer, not an `Array`, for the reason ``PartResults``
/// gives: two threads setting different slots must not share a mutable array value.
final class WorkerSlots<Worker>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Worker?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.baseAddress?.deinitialize(count: storage.count)
        storage.deallocate()
    }

    /// The worker of `slot`, made by `make` the first time.
    func worker(_ slot: Int, make: () -> Worker) -> Worker {
        if let w = storage[slot] { return w }
        let w = make()
        storage[slot] = w
        return w
    }
}
