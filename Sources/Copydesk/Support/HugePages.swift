#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for a model's large arrays.
///
/// A loaded model's lookup index (``VocabularyIndex``) and a large term table's slots are megabytes
/// that are filled once and then read at random (the coefficients stay in the model file's
/// mapping). Linux backs them with 4 KiB pages unless asked (`madvise` mode, Debian's default):
/// filling them then takes one page fault per 4 KiB, and lookups need many more TLB entries.
/// Advising huge pages before the first write makes the kernel back each aligned 2 MiB with one
/// page when it can; it changes no value and is skipped where unsupported.
enum HugePages {
    static let size = 2 << 20

    /// Advises huge pages for the whole 2 MiB-aligned pages inside `region` (none when it is under 4 MiB).
    static func advise(_ region: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard region.count >= 2 * size, let base = region.baseAddress else { return }
        let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
        let end = (Int(bitPattern: base) + region.count) & ~(size - 1)
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// An array of `count` elements made by `fill`, huge pages advised before it writes them.
    static func array<T>(count: Int, _ fill: (UnsafeMutableBufferPointer<T>) throws -> Void) rethrows -> [T] {
        try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            try fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }
}
