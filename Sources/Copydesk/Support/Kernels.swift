import CKernels

/// The C kernels (`CKernels`: sparse products, prefetch hints, byte scanners, process settings) as
/// the rest of the library calls them. Each is inlined into its caller, so the layer costs nothing;
/// no code outside `LinearAlgebra/` and `Support/` imports `CKernels`.
enum Kernels {
    /// Asks the processor to start loading the cache line at `p` (no effect on results).
    @inline(__always)
    static func prefetch(_ p: UnsafeRawPointer) { copydesk_prefetch(p) }

    /// ``prefetch(_:)`` for every cache line of the `bytes` bytes at `p`.
    @inline(__always)
    static func prefetch(_ p: UnsafeRawPointer, bytes: Int) { copydesk_prefetch_range(p, Int64(bytes)) }

    /// The length of the run of ASCII letters and digits at `p` (at most `count` bytes), copied to
    /// `out` as it is measured, letters lowercased when `lowercase`; `out` must have room for
    /// `count` bytes, and bytes of `out` past the run may be overwritten.
    @inline(__always)
    static func asciiWord(_ p: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>, lowercase: Bool) -> Int {
        Int(copydesk_ascii_word(p, Int64(count), out, lowercase ? 1 : 0))
    }

    /// The index of the first quote, backslash or control character in `p[0..<count]`, or `count`.
    @inline(__always)
    static func jsonStringRun(_ p: UnsafePointer<UInt8>, count: Int) -> Int {
        Int(copydesk_json_string_run(p, Int64(count)))
    }

    /// `z[c] += values[e] · w[indices[e] · k + c]` for every entry of a sparse row, in entry order.
    @inline(__always)
    static func sparseScores(_ w: UnsafePointer<Double>, k: Int, indices: UnsafePointer<Int32>?,
                             values: UnsafePointer<Double>?, count: Int, into z: UnsafeMutablePointer<Double>) {
        copydesk_sparse_scores(w, Int64(k), indices, values, Int64(count), z)
    }

    /// One chunk of 4 or 8 classes of the Gram pass over features `features` of a matrix stored by
    /// columns (see ``GramOperator``); returns the largest `|x_jᵀ Γ|` entry.
    @inline(__always)
    static func gramChunk(width: Int, offsets: UnsafePointer<Int>, rows: UnsafePointer<Int32>, values: UnsafePointer<Double>,
                          features: Range<Int>, gamma: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) -> Double {
        let offsets64 = UnsafeRawPointer(offsets).assumingMemoryBound(to: Int64.self)
        let first = Int64(features.lowerBound), end = Int64(features.upperBound)
        return width == 8 ? copydesk_gram_chunk8(offsets64, rows, values, first, end, gamma, out)
                          : copydesk_gram_chunk4(offsets64, rows, values, first, end, gamma, out)
    }

    /// True when the sparse kernels use their AVX2 + FMA bodies on this processor.
    static var usesAVX2FMA: Bool { copydesk_kernels_use_avx2() != 0 }
}

/// Settings of the process the library runs in.
public enum ProcessSettings {
    /// Makes allocations of at least `bytes` get their own mapping, returned to the system when
    /// freed, and keeps glibc from raising that threshold after the first large free (it would keep
    /// later large buffers in the heap, so peak memory would vary from run to run). Returns false
    /// where the allocator has no such setting.
    @discardableResult
    public static func fixMmapThreshold(bytes: Int) -> Bool { copydesk_set_mmap_threshold(Int32(clamping: bytes)) != 0 }
}
