import CSV
import Foundation

/// How a corpus is laid out on disk.
public enum CorpusFormat: String, Sendable, CaseIterable {
    /// JSON Lines, one article per line.
    case jsonl
    /// A folder per section holding one text file per article (20 Newsgroups, BBC, scikit-learn's `load_files`).
    case dir
    /// CSV with a header row, columns chosen by name or 1-based number.
    case csv

    /// The format implied by `path`: a directory, or a `.jsonl`/`.json`/`.ndjson` or `.csv`/`.tsv` file.
    public static func detect(_ path: String) throws -> CorpusFormat {
        var isDirectory: ObjCBool = false
        guard path == "-" || FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CorpusError.notFound(path: path)
        }
        if isDirectory.boolValue { return .dir }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "jsonl", "ndjson", "json": return .jsonl
        case "csv", "tsv": return .csv
        default:
            throw CorpusError.unknownFormat(path: path)
        }
    }
}

/// Which CSV columns hold what; each is a header name or a 1-based column number.
public struct CSVColumns: Sendable {
    public var text = "text"
    public var label = "label"
    public var title: String? = "title"
    public var id: String? = "id"
    public var summary: String? = "summary"
    public init() {}
}

/// What reading a corpus noticed besides the articles.
public struct CorpusDiagnostics: Sendable {
    /// The first few records skipped with `skipInvalid`, and how many there were.
    public var skipped: [CorpusError] = []
    public var skippedCount = 0
    /// Ids that occur more than once, with their number of occurrences.
    public var duplicateIds: [String: Int] = [:]
    /// Sections with fewer than two articles (too few to learn from or to cross-validate).
    public var smallSections: [String: Int] = [:]

    public init() {}

    mutating func skip(_ error: CorpusError) {
        skippedCount += 1
        if skipped.count < 3 { skipped.append(error) }
    }
}

/// Reads whole corpora into memory (training and evaluation need every article at once).
public enum CorpusReader {
    public static func read(_ path: String, format: CorpusFormat? = nil, csvColumns: CSVColumns = .init()) throws -> [Article] {
        try read(path, format: format, csvColumns: csvColumns, requireLabels: false, skipInvalid: false).articles
    }

    /// Reads a corpus and requires a label on every article, as training and evaluation do.
    public static func readLabeled(_ path: String, format: CorpusFormat? = nil, csvColumns: CSVColumns = .init()) throws -> [Article] {
        try read(path, format: format, csvColumns: csvColumns, requireLabels: true, skipInvalid: false).articles
    }

    /// Reads a corpus and reports duplicates and tiny sections.
    /// - Parameters:
    ///   - path: the corpus file (`"-"` for standard input).
    ///   - format: JSON Lines or CSV; nil decides by the file's extension.
    ///   - csvColumns: which CSV columns hold the fields.
    ///   - requireLabels: refuse (or with `skipInvalid` skip) articles without a label.
    ///   - skipInvalid: skip malformed records and count them instead of failing on the first.
    ///   - threads: threads decoding JSON Lines. More is faster, but each thread's allocations stay in
    ///     its own malloc arena and raise the peak memory of what follows, so training reads on one
    ///     (BENCHMARKS.md).
    /// - Throws: ``CorpusError`` naming the file and line of the first bad record, or an empty corpus.
    public static func read(_ path: String, format: CorpusFormat? = nil, csvColumns: CSVColumns = .init(),
                            requireLabels: Bool, skipInvalid: Bool,
                            threads: Int = 1) throws -> (articles: [Article], diagnostics: CorpusDiagnostics) {
        var diagnostics = CorpusDiagnostics()
        var articles: [Article] = []
        var lines: [Int] = []
        switch try format ?? CorpusFormat.detect(path) {
        case .jsonl:
            // Lines are decoded in batches on `threads` threads (the order and errors are unchanged).
            let reader = try JSONLinesReader(path: path)
            while let records = try reader.nextRecords(threads: threads) {
                for (line, record) in records {
                    switch record {
                    case let .article(a):
                        articles.append(a)
                        lines.append(line)
                    case let .invalid(_, error):
                        guard skipInvalid else { throw error }
                        diagnostics.skip(error)
                    }
                }
            }
        case .dir:
            articles = try readDirectory(path)
            lines = articles.indices.map { $0 + 1 }  // every article has its folder as label
        case .csv:
            (articles, lines) = try readCSV(path, columns: csvColumns)
        }
        if requireLabels {
            var kept: [Article] = []
            for (a, line) in zip(articles, lines) {
                if (a.label ?? "").isEmpty {
                    let error = CorpusError.missingLabel(file: path, line: line, id: a.id)
                    guard skipInvalid else { throw error }
                    diagnostics.skip(error)
                } else {
                    kept.append(a)
                }
            }
            articles = kept
        }
        guard !articles.isEmpty else { throw CorpusError.empty(path: path) }
        var ids: [String: Int] = [:]
        var sections: [String: Int] = [:]
        for a in articles {
            ids[a.id, default: 0] += 1
            if let l = a.label { sections[l, default: 0] += 1 }
        }
        diagnostics.duplicateIds = ids.filter { $0.value > 1 }
        diagnostics.smallSections = requireLabels ? sections.filter { $0.value < 2 } : [:]
        return (articles, diagnostics)
    }

    // MARK: - One folder per section

    /// `ROOT/<section>/<file>`: every regular, non-hidden file is an article of that section, read as
    /// UTF-8 (invalid bytes become U+FFFD). The id is `section/file`. Sorted for a stable order.
    /// A short first line followed by a blank line is taken as the headline (``splitHeadline(_:)``).
    static func readDirectory(_ root: String) throws -> [Article] {
        let fm = FileManager.default
        let sections: [String]
        do { sections = try fm.contentsOfDirectory(atPath: root).filter { !$0.hasPrefix(".") }.sorted() } catch {
            throw CorpusError.unreadable(path: root, reason: "cannot list directory")
        }
        var out: [Article] = []
        for section in sections {
            let folder = root + "/" + section
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let files = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            for file in files {
                let path = folder + "/" + file
                guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                guard let data = readFile(path) else {
                    throw CorpusError.unreadable(path: path, reason: "cannot read file")
                }
                // A saved web page in a section folder is read as its article and title.
                if ArticleInput.looksLikeHTML(Array(data), path: path) {
                    let page = try? ArticleExtractor().extract(bytes: Array(data), source: path)
                    out.append(Article(id: section + "/" + file, label: section, title: page?.title, text: page?.text ?? ""))
                    continue
                }
                let (title, text) = splitHeadline(String(decoding: data, as: UTF8.self))
                out.append(Article(id: section + "/" + file, label: section, title: title, text: text))
            }
        }
        return out
    }

    /// A first line of at most 200 characters followed by a blank line is the headline.
    static func splitHeadline(_ content: String) -> (title: String?, text: String) {
        let lines = content.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, lines[1].trimmingCharacters(in: .whitespaces).isEmpty else { return (nil, content) }
        let first = lines[0].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !first.isEmpty, first.count <= 200 else { return (nil, content) }
        return (first, String(lines[2]))
    }

    /// A whole file, through FileHandle: FileManager.contents(atPath:) leaks its buffer for an empty
    /// file on Linux (found by the csv fuzz target, see FUZZING.md).
    static func readFile(_ path: String) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()) ?? Data()
    }

    // MARK: - CSV

    /// CSV through yaslab/CSV.swift's stream reader (which strips a UTF-8 BOM and handles quoted
    /// newlines). Record numbers in errors count the header as record 1; an invalid byte is reported
    /// by its line.
    static func readCSV(_ path: String, columns: CSVColumns) throws -> (articles: [Article], records: [Int]) {
        // CSV.swift stops at the first undecodable byte without saying where: find it ourselves.
        guard let data = readFile(path) else { throw CorpusError.notFound(path: path) }
        let bytes = [UInt8](data)
        let invalid = TextInput.firstInvalidUTF8(bytes)
        if invalid < bytes.count {
            let line = 1 + bytes[..<invalid].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw CorpusError.malformedRecord(file: path, line: line, reason: "not valid UTF-8 (byte offset \(invalid))")
        }
        guard let stream = InputStream(fileAtPath: path) else { throw CorpusError.notFound(path: path) }
        let reader: CSVReader
        do { reader = try CSVReader(stream: stream, hasHeaderRow: true) } catch {
            throw CorpusError.malformedRecord(file: path, line: 1, reason: "cannot read the CSV header row")
        }
        let header = reader.headerRow ?? []
        func index(_ spec: String?, required: Bool) throws -> Int? {
            guard let spec else { return nil }
            if let n = Int(spec) {
                guard n >= 1 && n <= header.count else {
                    throw CorpusError.missingColumn(file: path, column: spec, available: header)
                }
                return n - 1
            }
            if let i = header.firstIndex(of: spec) { return i }
            if required { throw CorpusError.missingColumn(file: path, column: spec, available: header) }
            return nil
        }
        let textIndex = try index(columns.text, required: true)!
        let labelIndex = try index(columns.label, required: false)
        let titleIndex = try index(columns.title, required: false)
        let idIndex = try index(columns.id, required: false)
        let summaryIndex = try index(columns.summary, required: false)
        var out: [Article] = []
        var records: [Int] = []
        var record = 1
        while let row = reader.next() {
            record += 1
            if row.count == 1 && row[0].isEmpty { continue }
            func field(_ i: Int?) -> String? { i.flatMap { $0 < row.count ? row[$0] : nil } }
            guard let text = field(textIndex) else {
                throw CorpusError.malformedRecord(file: path, line: record,
                                                  reason: "record has \(row.count) fields, the text column is \(textIndex + 1)")
            }
            out.append(Article(id: field(idIndex) ?? "\(record)", label: field(labelIndex), title: field(titleIndex),
                               text: text, summary: field(summaryIndex)))
            records.append(record)
        }
        switch reader.error as? CSVError {
        case .streamErrorHasOccurred?, .unicodeDecoding?:
            throw CorpusError.unreadable(path: path, reason: "read failed")
        default:
            // On Linux the stream reports bytes available at its end, so CSV.swift's last read
            // fails with cannotReadFile after the final record: that is the end of the file.
            break
        }
        return (out, records)
    }
}
