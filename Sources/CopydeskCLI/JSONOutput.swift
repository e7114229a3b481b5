import Copydesk
import Foundation

/// JSON Lines on standard output, written by the library's ``JSONLine``.
enum JSONOutput {
    static func printLine(_ object: Any) {
        print(JSONLine.line(object))
    }

    static func line(_ object: Any) -> String { JSONLine.line(object) }

    static func rounded(_ x: Double) -> Double { JSONLine.rounded(x) }
}

/// `(0..<count).map(body)` on up to `threads` threads, in contiguous blocks; results in order.
enum ParallelMap {
    static func map<T>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let storage = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
        defer { storage.deallocate() }
        let out = UncheckedBuffer(storage)
        let blocks = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            for i in (count * b / blocks)..<(count * (b + 1) / blocks) {
                (out.buffer.baseAddress! + i).initialize(to: body(i))
            }
        }
        let result = Array(storage)
        _ = storage.baseAddress.map { $0.deinitialize(count: count) }
        return result
    }

    private struct UncheckedBuffer<T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<T>
        init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
    }
}
