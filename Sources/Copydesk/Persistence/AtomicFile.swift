import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Error messages for file-system failures that name the path and the cause, not an NSError dump.
enum FileErrors {
    static func reason(_ error: any Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? "is a directory" : "permission denied or unreadable"
        }
        return "no such file"
    }
}

/// Replacing a file so that no reader, and no crash, ever sees it half-written.
public enum AtomicFile {
    /// Writes `bytes` to a new temporary file beside `path`, flushes it to disk, and renames it over
    /// `path`. On any failure the temporary file is removed and `path` is untouched.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ModelFileError.unwritable(path: path, reason: "is a directory")
        }
        var template = Array("\(folder)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ModelFileError.unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let r = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if r < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                written += r
            }
            return nil
        }
        if let failure { close(fd); throw ModelFileError.unwritable(path: path, reason: failure) }
        fchmod(fd, 0o644)
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw ModelFileError.unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        guard rename(temporary, path) == 0 else {
            throw ModelFileError.unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        ok = true
    }
}
