import Foundation

/// What one input line became in a JSON Lines stream: its output line and, when the line failed,
/// why (the output line is then `{"error": …, "id": …}`).
public struct StreamOutput: Sendable {
    public var json: String
    public var error: String?

    public init(json: String, error: String? = nil) {
        self.json = json
        self.error = error
    }

    /// A failed line: `{"error": message, "id": id}` (id null when unknown).
    public static func failure(id: String?, _ message: String) -> StreamOutput {
        StreamOutput(json: JSONLine.line(["id": id.map { $0 as Any } ?? NSNull(), "error": message]), error: message)
    }
}

/// The JSON Lines stream of `classify`, `summarize` and `extract`: read a batch of lines (at most
/// `batchLines` lines or about `batchBytes` bytes, or what has arrived), turn each into its output
/// on up to `threads` threads — decoding, the work and the output line all on the thread that takes
/// the line — and hand the batch's outputs to `write` in input order. Memory is bounded by a batch
/// whatever the stream's length, and a slow feed is answered as it comes. The outputs do not
/// depend on `threads`.
///
/// Each of the up to `threads` workers of a stream is made once by `makeWorker` (a closure that may
/// keep state, such as a summarizer's stem cache) and kept across batches; one thread at a time
/// calls it, with each line it takes.
public struct JSONLinesPipeline: Sendable {
    public var threads: Int
    public var batchLines: Int
    /// About this many bytes of lines at most per batch.
    public var batchBytes: Int
    /// Lines a thread takes at a time (articles differ in cost, so threads take small chunks as they finish).
    public var chunk: Int

    public init(threads: Int, batchLines: Int = 256, batchBytes: Int = 4 << 20, chunk: Int = 4) {
        precondition(threads >= 1 && batchLines >= 1 && batchBytes >= 1 && chunk >= 1)
        self.threads = threads
        self.batchLines = batchLines
        self.batchBytes = batchBytes
        self.chunk = chunk
    }

    /// Streams `reader`'s records (decoded on the threads; blank lines skipped) through the workers;
    /// returns how many lines failed.
    public func run(_ reader: JSONLinesReader,
                    makeWorker: @escaping @Sendable () -> (_ line: Int, _ record: JSONLinesReader.Record) -> StreamOutput,
                    write: ([StreamOutput]) -> Void) throws -> Int {
        let decoding = reader.decoding
        return try runLines(reader, makeWorker: {
            let decoder = JSONDecoder()
            let work = makeWorker()
            return { line, raw in decoding.record(raw, line: line, decoder: decoder).map { work(line, $0) } }
        }, write: write)
    }

    /// Streams `reader`'s raw lines through the workers (a worker returns nil for a line that gives
    /// no output); returns how many lines failed.
    public func runLines(_ reader: JSONLinesReader,
                         makeWorker: @escaping @Sendable () -> (_ line: Int, _ raw: JSONLinesReader.RawLine) -> StreamOutput?,
                         write: ([StreamOutput]) -> Void) throws -> Int {
        var failures = 0
        let workers = PartResults<(_ line: Int, _ raw: JSONLinesReader.RawLine) -> StreamOutput?>(count: threads)
        while let lines = try reader.nextLines(limit: batchLines, bytes: batchBytes) {
            let outputs = PartResults<StreamOutput?>(count: lines.count)
            let order = JSONLinesPipeline.longestFirst(lines.map(\.raw.count))
            ParallelBlocks.dynamic(count: lines.count, chunk: chunk, threads: threads) { slot, next in
                let work = workers.value(slot, orMake: makeWorker)
                while let range = next() {
                    for k in range {
                        let i = order[k]
                        outputs.set(i, work(lines[i].line, lines[i].raw))
                    }
                }
            }
            let batch = outputs.values.compactMap { $0 }
            failures += batch.count { $0.error != nil }
            write(batch)
        }
        return failures
    }

    /// Indices by decreasing size, ties in input order: threads that take the longest lines first
    /// finish a batch together instead of one of them ending it alone on a long article.
    static func longestFirst(_ sizes: [Int]) -> [Int] {
        sizes.indices.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
    }
}
