/// Why a corpus could not be read. Every case names the file and, where there is one, the line.
public enum CorpusError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    case malformedRecord(file: String, line: Int, reason: String)
    case missingLabel(file: String, line: Int, id: String)
    case unknownFormat(path: String)
    case empty(path: String)
    case missingColumn(file: String, column: String, available: [String])

    public var description: String {
        switch self {
        case let .notFound(path): "\(path): no such file or directory"
        case let .unreadable(path, reason): "\(path): \(reason)"
        case let .malformedRecord(file, line, reason): "\(file):\(line): \(reason)"
        case let .missingLabel(file, line, id):
            "\(file):\(line): article \(id.isEmpty ? "(no id)" : "'\(id)'") has no label; training and evaluation need one"
        case let .unknownFormat(path):
            "\(path): cannot tell the corpus format; use a directory, a .jsonl or a .csv file, or --format"
        case let .empty(path): "\(path): the corpus has no articles"
        case let .missingColumn(file, column, available):
            "\(file): no column '\(column)' (columns: \(available.joined(separator: ", ")))"
        }
    }
}
