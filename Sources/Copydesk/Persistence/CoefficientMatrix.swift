/// A model's coefficient matrix (`features × sections`, row-major): an array (after training or
/// decoding bytes) or the weights region of a mapped model file (after ``ModelFile/read(from:)``).
struct CoefficientMatrix: @unchecked Sendable {
    private enum Storage {
        case array([Double])
        /// `count` doubles at `base` inside `file`, which keeps them mapped.
        case mapped(file: MappedFile, base: UnsafePointer<Double>, count: Int)
    }

    private let storage: Storage

    init(_ values: [Double]) { storage = .array(values) }

    /// The `count` little-endian doubles at `byteOffset` (a multiple of 8) of `file`, on a
    /// little-endian processor; nil elsewhere (the caller then copies and converts).
    init?(file: MappedFile, byteOffset: Int, count: Int) {
        #if _endian(little)
        guard byteOffset % 8 == 0, byteOffset + 8 * count <= file.bytes.count, let base = file.bytes.baseAddress else { return nil }
        storage = .mapped(file: file, base: (base + byteOffset).assumingMemoryBound(to: Double.self), count: count)
        #else
        return nil
        #endif
    }

    var count: Int {
        switch storage {
        case let .array(a): return a.count
        case let .mapped(_, _, count): return count
        }
    }

    @inline(__always)
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        switch storage {
        case let .array(a): return try a.withUnsafeBufferPointer(body)
        case let .mapped(file, base, count):
            return try withExtendedLifetime(file) { try body(UnsafeBufferPointer(start: base, count: count)) }
        }
    }

    /// The values as an array (a copy when mapped).
    var array: [Double] {
        switch storage {
        case let .array(a): return a
        case .mapped: return withUnsafeBufferPointer { Array($0) }
        }
    }
}
