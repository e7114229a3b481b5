/// Results written by index from concurrent blocks, each index by exactly one block (or one thread
/// at a time).
///
/// Backed by a raw buffer, not an `Array`: `Array.withUnsafeMutableBufferPointer` moves the array
/// out of its owner for the duration of the call, so two threads writing different indices that
/// way race on the array itself (a crash found by the 200,000-article stream test).
final class PartResults<T>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.baseAddress?.deinitialize(count: storage.count)
        storage.deallocate()
    }

    func set(_ i: Int, _ value: T) { storage[i] = value }

    /// The value at `i`, made by `make` and stored the first time: state kept per index across
    /// parallel calls (a stream's worker per ``ParallelBlocks/dynamic(count:chunk:threads:_:)``
    /// slot), each index used by one thread at a time.
    func value(_ i: Int, orMake make: () -> T) -> T {
        if let value = storage[i] { return value }
        let value = make()
        storage[i] = value
        return value
    }

    var values: [T] { storage.compactMap { $0 } }
}
