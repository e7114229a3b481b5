import Dispatch
import Synchronization

/// Splits `0..<count` into contiguous blocks and runs them concurrently; with one thread, in order.
struct ParallelBlocks: Sendable {
    let ranges: [Range<Int>]

    /// Up to `threads` blocks of at least `minimumBlock` items (fewer, smaller inputs run on one
    /// thread: splitting them costs more than it saves). Tests pass a small minimum to make inputs of
    /// a few items split.
    init(count: Int, threads: Int, minimumBlock: Int = 64) {
        let t = max(1, min(threads, count / max(minimumBlock, 1) + 1))
        var r: [Range<Int>] = []
        for b in 0..<t { r.append((count * b / t)..<(count * (b + 1) / t)) }
        ranges = r
    }

    func run(_ body: @Sendable (Range<Int>) -> Void) {
        if ranges.count == 1 { body(ranges[0]); return }
        let r = ranges
        DispatchQueue.concurrentPerform(iterations: r.count) { body(r[$0]) }
    }

    /// Runs `body` for each of `0..<count` on up to `threads` threads.
    static func forEach(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        let groups = min(threads, count)
        if groups <= 1 { for c in 0..<count { body(c) }; return }
        DispatchQueue.concurrentPerform(iterations: groups) { g in
            var c = g
            while c < count { body(c); c += groups }
        }
    }

    /// Runs `worker` on up to `threads` threads; each worker takes chunks of `chunk` consecutive
    /// indices of `0..<count` from a shared counter (`next()` returns nil when all are taken), so
    /// items of uneven cost keep every thread busy to the end. Which thread handles an index varies;
    /// callers write results by index, so the output does not. `slot` numbers the workers of one
    /// call (`0..<threads`): no two run with the same slot at the same time, so state kept per slot
    /// across calls (``PartResults/value(_:orMake:)``) is used by one thread at a time.
    static func dynamic(count: Int, chunk: Int, threads: Int,
                        _ worker: @Sendable (_ slot: Int, _ next: () -> Range<Int>?) -> Void) {
        let taken = ChunkCounter()
        let next: @Sendable () -> Range<Int>? = {
            let start = taken.value.add(chunk, ordering: .relaxed).oldValue
            return start < count ? start..<min(start + chunk, count) : nil
        }
        let workers = max(1, min(threads, (count + chunk - 1) / chunk))
        if workers == 1 { worker(0, next); return }
        DispatchQueue.concurrentPerform(iterations: workers) { slot in worker(slot, next) }
    }

    private final class ChunkCounter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// ``run(_:)`` with each block's index.
    func runIndexed(_ body: @Sendable (Int, Range<Int>) -> Void) {
        if ranges.count == 1 { body(0, ranges[0]); return }
        let r = ranges
        DispatchQueue.concurrentPerform(iterations: r.count) { body($0, r[$0]) }
    }
}
