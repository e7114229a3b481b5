import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only into memory for as long as this object lives.
///
/// A model's weights are used straight from the mapping (``CoefficientMatrix``): the file's pages
/// are already in the page cache, whereas a private copy needs tens of megabytes of fresh memory,
/// which the kernel zeroes page by page (on this machine that was most of the time `evaluate` spent
/// loading the 20 Newsgroups model). Copydesk replaces model files by renaming a new file over the
/// old one, which leaves a mapping of the old file intact; a model file truncated in place by
/// another program while a process uses it would make that process fault, as with any mapped file.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// True when `bytes` were read into memory this object allocated (a pipe or other stream).
    private let owned: Bool

    /// Maps `path` (a stream such as a pipe is read into memory instead); the errors are those of
    /// reading it (``ModelFileError/unreadable(path:reason:)``).
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ModelFileError.unreadable(path: path, reason: FileErrors.reason(path: path)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ModelFileError.unreadable(path: path, reason: FileErrors.errnoText) }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw ModelFileError.unreadable(path: path, reason: "is a directory") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            bytes = try MappedFile.readAll(fd, path: path)
            owned = true
            return
        }
        owned = false
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        // MAP_POPULATE: map every page now, in one call, rather than one fault at a time later.
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw ModelFileError.unreadable(path: path, reason: FileErrors.errnoText) }
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if owned { base.deallocate() } else { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// Everything `fd` delivers until its end, in memory allocated here (8-byte aligned).
    private static func readAll(_ fd: Int32, path: String) throws -> UnsafeRawBufferPointer {
        var capacity = 1 << 20, count = 0
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        while true {
            if count == capacity {
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: 2 * capacity, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let got = read(fd, buffer + count, capacity - count)
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else {
                buffer.deallocate()
                throw ModelFileError.unreadable(path: path, reason: FileErrors.errnoText)
            }
            if got == 0 { break }
            count += got
        }
        return UnsafeRawBufferPointer(start: buffer, count: count)
    }
}
