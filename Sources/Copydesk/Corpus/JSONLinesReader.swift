import Foundation

/// Reads a JSON Lines corpus one article at a time, in flat memory: `id`, `label`, `title`, `text`,
/// optional `summary` per line. Blank lines are skipped; a UTF-8 byte-order mark is ignored.
///
/// - Complexity: O(bytes); the file is read in 1 MiB chunks and split on newlines with `memchr`.
public final class JSONLinesReader {
    public let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    /// Line number (1-based) of the article last returned.
    public private(set) var line = 0
    private let decoder = JSONDecoder()

    /// Opens `path`; `"-"` reads standard input.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CorpusError.notFound(path: path)
            }
            guard !isDirectory.boolValue else { throw CorpusError.unreadable(path: path, reason: "is a directory") }
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw CorpusError.unreadable(path: path, reason: "permission denied")
            }
            handle = h
        }
    }

    /// The next line's bytes (without the newline), or nil at the end.
    private func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { b in
                guard start < b.count, let base = b.baseAddress,
                      let hit = memchr(base + start, 0x0A, b.count - start) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let end = found {
                let lineBytes = buffer[start..<end]
                start = end + 1
                return lineBytes
            }
            if finished {
                guard start < buffer.count else { return nil }
                let rest = buffer[start...]
                start = buffer.count
                return rest
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw CorpusError.unreadable(path: path, reason: "read failed")
            }
            if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { finished = true }
        }
    }

    /// The next article, or nil at the end of the file.
    /// - Throws: ``CorpusError/malformedRecord(file:line:reason:)`` naming the line.
    public func next() throws -> Article? {
        while var bytes = try nextLine() {
            line += 1
            if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                var article = try decoder.decode(Article.self, from: Data(bytes))
                if article.id.isEmpty { article.id = "\(displayName):\(line)" }
                return article
            } catch let error as DecodingError {
                throw CorpusError.malformedRecord(file: displayName, line: line, reason: JSONLinesReader.explain(error))
            } catch {
                throw CorpusError.malformedRecord(file: displayName, line: line, reason: "not valid JSON")
            }
        }
        return nil
    }

    var displayName: String { path == "-" ? "<stdin>" : path }

    static func explain(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): "missing field '\(key.stringValue)'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type (expected a string)"
        case .dataCorrupted: "not valid JSON (expected one object per line with id, label, title, text)"
        @unknown default: "not valid JSON"
        }
    }
}
