import ArgumentParser
import Copydesk
import Foundation

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read web pages: the article's text and the page's metadata (title, byline, published, language, site, description).")

    enum InputFormat: String, ExpressibleByArgument, CaseIterable { case html, jsonl }

    @Argument(help: "HTML files; '-' or nothing reads standard input.")
    var files: [String] = []

    @Option(help: "Input format: html (one page per file) or jsonl (one {\"id\", \"html\"} object per line).")
    var format: InputFormat = .html

    @OptionGroup var jsonOption: JSONOption
    var json: Bool { jsonOption.json }

    @Option(help: "Refuse pages (and JSONL lines) larger than this many bytes.")
    var maxBytes = TextInput.defaultMaxBytes

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int { threadsOption.threads }

    func validate() throws {
        if maxBytes < 1 { throw ValidationError("--max-bytes must be positive") }
    }

    func run() throws {
        try Failure.guarded {
            var failures = 0
            for input in files.isEmpty ? ["-"] : files {
                switch format {
                case .html:
                    do {
                        let bytes = try TextInput.readBytes(input, maxBytes: maxBytes)
                        let article = try ArticleExtractor().extract(bytes: bytes, source: input == "-" ? "<stdin>" : input)
                        if json {
                            JSONOutput.printLine(Self.object(article, id: input == "-" ? "<stdin>" : input))
                        } else {
                            if let title = article.title { print(title + "\n") }
                            print(article.text)
                        }
                    } catch let error as ExtractionError {
                        Terminal.error("\(error)")
                        failures += 1
                    } catch let error as InputError {
                        Terminal.error("\(error)")
                        failures += 1
                    }
                case .jsonl:
                    failures += try streamJSONL(input)
                }
            }
            if failures > 0 { throw ExitCode(Failure.badInput) }
        }
    }

    static func object(_ a: ExtractedArticle, id: String) -> [String: Any] {
        func value(_ s: String?) -> Any { s.map { $0 as Any } ?? NSNull() }
        return ["id": id, "title": value(a.title), "byline": value(a.byline), "published": value(a.published),
                "language": value(a.language), "site": value(a.site), "description": value(a.description), "text": a.text]
    }

    /// A JSONL stream of `{"id", "html"}` through the library's ``JSONLinesPipeline``: batches of up
    /// to 64 lines or 64 MiB (pages are large, and their costs vary) extracted on `threads` threads
    /// and written in input order.
    func streamJSONL(_ input: String) throws -> Int {
        let reader: JSONLinesReader
        do {
            reader = try JSONLinesReader(path: input, maxLineBytes: maxBytes)
        } catch CorpusError.notFound {
            throw InputError.notFound(path: input)
        } catch CorpusError.unreadable {
            throw InputError.unreadable(path: input)
        }
        let source = input
        return try JSONLinesPipeline(threads: threads, batchLines: 64, batchBytes: 64 << 20, chunk: 1).runLines(reader, makeWorker: {
            { line, raw in
                switch raw {
                case let .oversized(_, length):
                    let place = "\(source == "-" ? "<stdin>" : source):\(line)"
                    return .failure(id: nil, "\(place): a line of \(length) bytes is over the --max-bytes limit")
                case var .bytes(bytes):
                    if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return nil }
                    let r = Self.extractLine(bytes, line: line, source: source)
                    return StreamOutput(json: r.json, error: r.error)
                }
            }
        }, write: JSONOutput.write)
    }

    /// One JSONL line's result as a JSON line (the extraction, or `{"id", "error"}`) and its error.
    static func extractLine(_ bytes: [UInt8], line: Int, source: String) -> (json: String, error: String?) {
        let place = "\(source == "-" ? "<stdin>" : source):\(line)"
        func failure(_ id: Any, _ message: String) -> (json: String, error: String?) {
            (JSONOutput.line(["id": id, "error": message]), message)
        }
        let id: Any
        let html: [UInt8]
        // The common flat line directly; anything else through JSONSerialization, which decides
        // what is wrong with it.
        if let page = bytes.withUnsafeBufferPointer({ ArticleJSON.page($0) }) {
            id = page.id ?? NSNull()
            html = page.html
        } else {
            guard !bytes.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                return failure(NSNull(), "\(place): not a JSON object (or longer than --max-bytes)")
            }
            id = (object["id"] as? String) ?? (object["id"] as? Int).map { String($0) } ?? NSNull()
            guard let s = object["html"] as? String else { return failure(id, "\(place): no \"html\" string") }
            html = Array(s.utf8)
        }
        do {
            let article = try ArticleExtractor().extract(bytes: html, source: place)
            var out = Self.object(article, id: "")
            out["id"] = id
            return (JSONOutput.line(out), nil)
        } catch {
            return failure(id, "\(error)")
        }
    }
}
