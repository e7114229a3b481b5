import Foundation

/// Reads a JSON Lines corpus one article at a time, in flat memory: `id`, `label`, `title`, `text`,
/// optional `summary` per line. Blank lines are skipped; a UTF-8 byte-order mark is ignored.
///
/// Memory stays bounded by ``maxLineBytes`` whatever the stream's length: a longer line is not
/// buffered whole but skipped to its newline, keeping only its first bytes to find its `id`.
///
/// - Complexity: O(bytes); the file is read in 1 MiB chunks and split on newlines with `memchr`.
public final class JSONLinesReader {
    /// One line of the stream: an article, or why the line was refused.
    public enum Record: Sendable {
        case article(Article)
        /// `id` is recovered from the line's text when possible.
        case invalid(id: String?, error: CorpusError)
    }

    public let path: String
    public let maxLineBytes: Int
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    /// Line number (1-based) of the record last returned.
    public private(set) var line = 0
    private let decoder = JSONDecoder()

    /// Opens `path`; `"-"` reads standard input.
    public init(path: String, maxLineBytes: Int = 64 << 20) throws {
        self.path = path
        self.maxLineBytes = maxLineBytes
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

    private enum Line {
        case bytes(ArraySlice<UInt8>)
        case oversized(head: [UInt8], length: Int)
    }

    /// Reads what is available, up to 1 MiB. A plain `read(2)`: Foundation's `read(upToCount:)`
    /// waits until the whole count or the end arrives, which stalls a feed written a line at a time.
    private func fill() throws -> Bool {
        var got = -1
        repeat { got = read(handle.fileDescriptor, scratch.baseAddress, scratch.count) } while got < 0 && errno == EINTR
        guard got >= 0 else { throw CorpusError.unreadable(path: displayName, reason: "read failed") }
        if got == 0 { finished = true; return false }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<got]))
        return true
    }

    /// Where `fill` reads into (1 MiB, allocated once per reader).
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)

    deinit { scratch.deallocate() }

    private func newline(from: Int) -> Int? {
        buffer.withUnsafeBufferPointer { b in
            guard from < b.count, let base = b.baseAddress, let hit = memchr(base + from, 0x0A, b.count - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The next line (without its newline), or nil at the end.
    private func nextLine() throws -> Line? {
        var searched = start
        while true {
            if let end = newline(from: searched) {
                let lineBytes = buffer[start..<end]
                start = end + 1
                if lineBytes.count > maxLineBytes {
                    return .oversized(head: Array(lineBytes.prefix(4096)), length: lineBytes.count)
                }
                return .bytes(lineBytes)
            }
            searched = buffer.count
            if buffer.count - start > maxLineBytes {
                // Too long to buffer: keep its head, drop the rest up to the newline.
                let head = Array(buffer[start..<min(buffer.count, start + 4096)])
                var length = buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
                while true {
                    guard try fill() else { return .oversized(head: head, length: length) }
                    if let end = newline(from: 0) {
                        length += end
                        start = end + 1
                        return .oversized(head: head, length: length)
                    }
                    length += buffer.count
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if finished {
                guard start < buffer.count else { return nil }
                let rest = buffer[start...]
                start = buffer.count
                return .bytes(rest)
            }
            if start > 0 && start >= buffer.count / 2 {
                buffer.removeSubrange(0..<start)
                searched -= start
                start = 0
            }
            _ = try fill()
        }
    }

    /// The next record, or nil at the end of the stream. Never throws for a bad line, only for I/O.
    public func nextRecord() throws -> Record? {
        while let next = try nextLine() {
            line += 1
            switch next {
            case let .oversized(head, length):
                return decoding.record(.oversized(head: head, length: length), line: line, decoder: decoder)
            case let .bytes(bytes):
                if let record = JSONLinesReader.decode(bytes, line: line, file: displayName, decoder: decoder) { return record }
            }
        }
        return nil
    }

    /// A line of the stream as read, before decoding.
    public enum RawLine: Sendable {
        case bytes([UInt8])
        /// Over ``maxLineBytes``: only its first bytes were kept.
        case oversized(head: [UInt8], length: Int)

        /// The line's length in bytes.
        public var count: Int {
            switch self {
            case let .bytes(b): b.count
            case let .oversized(_, length): length
            }
        }
    }

    /// Up to `limit` lines or about `bytes` bytes of lines with their line numbers, in stream order;
    /// nil at the end of the stream. Once it has a line, it waits for no more input: a feed that
    /// arrives slowly gets each line back as soon as it is complete.
    public func nextLines(limit: Int = 256, bytes: Int = 4 << 20) throws -> [(line: Int, raw: RawLine)]? {
        var lines: [(line: Int, raw: RawLine)] = []
        var total = 0
        while lines.count < limit && total < bytes {
            if !lines.isEmpty && newline(from: start) == nil { break }
            guard let next = try nextLine() else { break }
            line += 1
            switch next {
            case let .oversized(head, length):
                lines.append((line, .oversized(head: head, length: length)))
            case let .bytes(b):
                lines.append((line, .bytes(Array(b))))
                total += b.count
            }
        }
        return lines.isEmpty ? nil : lines
    }

    /// How this stream's raw lines become records, on any thread (``LineDecoding/record(_:line:decoder:)``).
    public var decoding: LineDecoding { LineDecoding(file: displayName, maxLineBytes: maxLineBytes) }

    /// Turns a stream's raw lines into records; a value, so that worker threads can share it.
    public struct LineDecoding: Sendable {
        let file: String
        let maxLineBytes: Int

        /// The record of line `line`; nil for a blank line. `decoder` is the calling thread's own.
        public func record(_ raw: RawLine, line: Int, decoder: JSONDecoder) -> Record? {
            switch raw {
            case let .oversized(head, length):
                .invalid(id: JSONLinesReader.recoverId(head),
                         error: .malformedRecord(file: file, line: line,
                                                 reason: "line of \(TextInput.formatBytes(length)) is over the \(TextInput.formatBytes(maxLineBytes)) limit (--max-bytes)"))
            case let .bytes(b): JSONLinesReader.decode(b[...], line: line, file: file, decoder: decoder)
            }
        }
    }

    /// Up to `limit` records or about `bytes` bytes of lines with their line numbers, decoded on up
    /// to `threads` threads, in stream order; nil at the end of the stream (a run of blank lines
    /// gives an empty array). Lines are split here and decoded in parallel, so a stream is read
    /// faster than one ``nextRecord()`` at a time; see ``nextLines(limit:bytes:)`` for a slow feed.
    public func nextRecords(limit: Int = 256, bytes: Int = 4 << 20, threads: Int) throws -> [(line: Int, record: Record)]? {
        guard let lines = try nextLines(limit: limit, bytes: bytes) else { return nil }
        let decoded = PartResults<(line: Int, record: Record)?>(count: lines.count)
        let decoding = self.decoding
        ParallelBlocks(count: lines.count, threads: threads).run { range in
            let decoder = JSONDecoder()
            for i in range {
                let n = lines[i].line
                decoded.set(i, decoding.record(lines[i].raw, line: n, decoder: decoder).map { (n, $0) })
            }
        }
        return decoded.values.compactMap { $0 }
    }

    /// The record of one line; nil for a blank line.
    static func decode(_ raw: ArraySlice<UInt8>, line: Int, file: String, decoder: JSONDecoder) -> Record? {
        var bytes = raw
        if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        do {
            // The common flat line directly; anything else (and every error) through JSONDecoder.
            var article = try bytes.withUnsafeBufferPointer(ArticleJSON.decode)
                ?? decoder.decode(Article.self, from: Data(bytes))
            if article.id.isEmpty { article.id = "\(file):\(line)" }
            return .article(article)
        } catch let error as DecodingError {
            return .invalid(id: JSONLinesReader.recoverId(Array(bytes.prefix(4096))),
                            error: .malformedRecord(file: file, line: line, reason: JSONLinesReader.explain(error)))
        } catch {
            return .invalid(id: nil, error: .malformedRecord(file: file, line: line, reason: "not valid JSON"))
        }
    }

    /// The next article, or nil at the end of the file.
    /// - Throws: ``CorpusError/malformedRecord(file:line:reason:)`` naming the line.
    public func next() throws -> Article? {
        guard let record = try nextRecord() else { return nil }
        switch record {
        case let .article(a): return a
        case let .invalid(_, error): throw error
        }
    }

    /// The stream's name in messages: its path, or `<stdin>`.
    public var displayName: String { path == "-" ? "<stdin>" : path }

    /// The `id` of a line that could not be decoded, found by a plain scan for `"id": "…"` or a number.
    static func recoverId(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let key = text.range(of: "\"id\"") else { return nil }
        var rest = text[key.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        if rest.first == "\"" {
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: "\"") else { return nil }
            return String(body[..<close])
        }
        let number = rest.prefix { $0.isNumber || $0 == "-" }
        return number.isEmpty ? nil : String(number)
    }

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
