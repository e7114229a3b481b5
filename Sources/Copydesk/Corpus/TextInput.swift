import Foundation

/// Why an article's text was refused.
public enum InputError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case isDirectory(path: String)
    case unreadable(path: String)
    case empty(source: String)
    case binary(source: String, offset: Int)
    case invalidUTF8(source: String, offset: Int)
    case tooLarge(source: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case let .notFound(path): "\(path): no such file"
        case let .isDirectory(path): "\(path): is a directory, expected a text file"
        case let .unreadable(path): "\(path): cannot read (permission denied or I/O error)"
        case let .empty(source): "\(source): the article is empty"
        case let .binary(source, offset): "\(source): looks like a binary file (NUL byte at offset \(offset)), not article text"
        case let .invalidUTF8(source, offset):
            "\(source): not valid UTF-8 (byte offset \(offset)); convert it, or pass --lossy to replace bad bytes"
        case let .tooLarge(source, bytes, limit):
            "\(source): \(TextInput.formatBytes(bytes)) is over the \(TextInput.formatBytes(limit)) limit; raise --max-bytes to accept it"
        }
    }
}

/// Reading one article's text from a file or standard input, with checks.
public enum TextInput {
    /// Default size limit for one article: 8 MiB, far above any real article.
    public static let defaultMaxBytes = 8 << 20

    /// Reads `path` (`"-"` for standard input) as article text.
    /// - Parameters:
    ///   - path: the file, or `"-"` for standard input.
    ///   - maxBytes: refuse a larger article.
    ///   - lossy: replace invalid UTF-8 with U+FFFD instead of refusing it.
    public static func read(_ path: String, maxBytes: Int = defaultMaxBytes, lossy: Bool = false) throws -> String {
        let source = path == "-" ? "<stdin>" : path
        return try decode(try readBytes(path, maxBytes: maxBytes), source: source, lossy: lossy)
    }

    /// The bytes of the file at `path` (`-`: standard input), with the size and file checks of
    /// ``read(_:maxBytes:lossy:)`` but no decoding (a web page says its own encoding).
    public static func readBytes(_ path: String, maxBytes: Int = defaultMaxBytes) throws -> [UInt8] {
        let data: Data
        let source = path == "-" ? "<stdin>" : path
        if path == "-" {
            data = (try? FileHandle.standardInput.read(upToCount: maxBytes + 1)) ?? Data()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputError.notFound(path: path) }
            guard !isDirectory.boolValue else { throw InputError.isDirectory(path: path) }
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maxBytes else { throw InputError.tooLarge(source: source, bytes: size, limit: maxBytes) }
            guard let h = FileHandle(forReadingAtPath: path), let d = try? h.readToEnd() else {
                throw InputError.unreadable(path: path)
            }
            data = d
        }
        guard data.count <= maxBytes else { throw InputError.tooLarge(source: source, bytes: data.count, limit: maxBytes) }
        return Array(data)
    }

    /// Checks and decodes article bytes: refuses NUL bytes (binary files), invalid UTF-8 unless
    /// `lossy`, and text with no visible character.
    public static func decode(_ bytes: [UInt8], source: String, lossy: Bool = false) throws -> String {
        if let nul = bytes.firstIndex(of: 0) { throw InputError.binary(source: source, offset: nul) }
        var text = bytes.withUnsafeBufferPointer { b -> String? in
            String(validating: b, as: UTF8.self)
        }
        if text == nil {
            guard lossy else { throw InputError.invalidUTF8(source: source, offset: firstInvalidUTF8(bytes)) }
            text = String(decoding: bytes, as: UTF8.self)
        }
        let result = text ?? ""
        guard result.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw InputError.empty(source: source)
        }
        return result
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                let (s, len) = UTF8Scalars.decode(b.baseAddress!, at: i, count: b.count)
                if s == nil { return i }
                i += len
            }
            return b.count
        }
    }

    static func formatBytes(_ n: Int) -> String {
        n >= 1 << 20 ? String(format: "%.1f MiB", Double(n) / Double(1 << 20)) : "\(n) bytes"
    }
}
