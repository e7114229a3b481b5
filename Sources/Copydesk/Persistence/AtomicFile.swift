import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Error messages for file-system failures that name the path and the cause, not an NSError dump.
enum FileErrors {
    /// Why `path` could not be read, judged from what is there.
    static func reason(path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? "is a directory" : "permission denied or unreadable"
        }
        return "no such file"
    }

    static var errnoText: String { String(cString: strerror(errno)) }
}

/// Replacing a file so that no reader, and no crash, ever sees it half-written.
public enum AtomicFile {
    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY` in Linux's headers, which Swift does not import).
    static let temporaryFileFlag: Int32 = 0o20000000 | O_DIRECTORY

    /// Writes `bytes` to an unnamed file in `path`'s folder (`O_TMPFILE`), flushes it to disk,
    /// links it under a temporary name and renames that over `path`. A process killed while
    /// writing leaves `path` as it was and no file behind; only a kill in the microseconds between
    /// the link and the rename can leave a hidden `.NAME.tmp-…` file. Where the file system has no
    /// `O_TMPFILE`, a named temporary file (`mkstemp`) is used and removed on failure.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ModelFileError.unwritable(path: path, reason: "is a directory")
        }
        var temporary: String?
        var fd = open(folder, temporaryFileFlag | O_WRONLY | O_CLOEXEC, 0o644)
        if fd < 0 {
            guard errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL else {
                throw ModelFileError.unwritable(path: path, reason: FileErrors.errnoText)
            }
            var template = Array("\(folder)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw ModelFileError.unwritable(path: path, reason: FileErrors.errnoText) }
            temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        var done = false
        defer {
            if !done, let temporary { unlink(temporary) }
        }
        let failure: String? = bytes.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let r = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if r < 0 {
                    if errno == EINTR { continue }
                    return FileErrors.errnoText
                }
                written += r
            }
            return nil
        }
        if let failure { close(fd); throw ModelFileError.unwritable(path: path, reason: failure) }
        fchmod(fd, 0o644)
        guard fsync(fd) == 0 else {
            let reason = FileErrors.errnoText
            close(fd)
            throw ModelFileError.unwritable(path: path, reason: reason)
        }
        if temporary == nil {
            let name = "\(folder)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 else {
                let reason = FileErrors.errnoText
                close(fd)
                throw ModelFileError.unwritable(path: path, reason: reason)
            }
            temporary = name
        }
        close(fd)
        guard let temporary, rename(temporary, path) == 0 else {
            throw ModelFileError.unwritable(path: path, reason: FileErrors.errnoText)
        }
        done = true
    }
}
