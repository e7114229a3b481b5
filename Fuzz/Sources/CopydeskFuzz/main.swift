// copydesk-fuzz TARGET [libFuzzer options] [CORPUS_DIR…]
//
// SwiftPM links its own `main`, which hides libFuzzer's, so this program starts libFuzzer's driver
// itself with the chosen target's callback. Every target must return for any input: a crash,
// a sanitizer report or a time-out is a finding.
@testable import Copydesk
import Foundation

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-fuzz-\(getpid())")
try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)

/// Writes the input to a file for the readers that take paths.
func file(_ bytes: UnsafeBufferPointer<UInt8>, _ name: String) -> String {
    let path = scratch.appendingPathComponent(name).path
    _ = FileManager.default.createFile(atPath: path, contents: Data(buffer: bytes))
    return path
}

let targets: [String: (UnsafeBufferPointer<UInt8>) -> Void] = [
    // A web page: parsed by libxml2, the article and metadata extracted, and read as the
    // classifier and summarizer would (the detection of HTML included).
    "html": { bytes in
        let page = Array(bytes)
        if let article = try? ArticleExtractor().extract(bytes: page) {
            _ = SentenceSplitter().split(article.text)
        }
        _ = ArticleInput.looksLikeHTML(page, path: "page")
    },
    "tokenizer": { bytes in
        var list = TokenList()
        Tokenizer().tokenize(bytes, into: &list)
        Tokenizer(.init(rule: .scikitLearn)).tokenize(bytes, into: &list)
        Tokenizer(.init(links: .drop, parts: false)).tokenize(bytes, into: &list)
    },
    "sentences": { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        for s in SentenceSplitter().split(text) { precondition(s.range.upperBound <= text.utf8.count) }
    },
    "cleaner": { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        _ = ArticleCleaner().clean(text)
        _ = Dateline.split(text)
        _ = try? Summarizer().summarize(text, length: .words(30), teaserCharacters: 60)
    },
    "jsonl": { bytes in
        guard let reader = try? JSONLinesReader(path: file(bytes, "input.jsonl"), maxLineBytes: 4096) else { return }
        while let record = try? reader.nextRecord() { _ = record }
    },
    // The direct reader of flat corpus lines either passes or makes exactly JSONDecoder's article.
    "article-json": { bytes in
        guard let direct = ArticleJSON.decode(bytes) else { return }
        let decoded = try? JSONDecoder().decode(Article.self, from: Data(buffer: bytes))
        if direct != decoded {
            fatalError("ArticleJSON disagrees with JSONDecoder: \(direct) vs \(String(describing: decoded))")
        }
    },
    // The direct reader of `{"id", "html"}` lines either passes or agrees with JSONSerialization.
    "page-json": { bytes in
        guard let direct = ArticleJSON.page(bytes) else { return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any],
              let html = object["html"] as? String else {
            fatalError("ArticleJSON.page took a line JSONSerialization refuses: \(Array(bytes))")
        }
        let id = (object["id"] as? String) ?? (object["id"] as? Int).map { String($0) }
        if direct.html != Array(html.utf8) || direct.id != id {
            fatalError("ArticleJSON.page disagrees with JSONSerialization on \(Array(bytes))")
        }
    },
    "csv": { bytes in
        _ = try? CorpusReader.read(file(bytes, "input.csv"), format: .csv, requireLabels: true, skipInvalid: true)
    },
    "model": { bytes in
        _ = try? ModelFile.decode(UnsafeRawBufferPointer(bytes), path: "fuzz.cdm")
    },
]

nonisolated(unsafe) var selected: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }

var arguments = CommandLine.arguments
guard arguments.count >= 2, let body = targets[arguments[1]] else {
    FileHandle.standardError.write(Data("usage: CopydeskFuzz TARGET [libFuzzer options] [corpus…]; targets: \(targets.keys.sorted().joined(separator: ", "))\n".utf8))
    exit(2)
}
selected = body
arguments.remove(at: 1)
var cArguments = arguments.map { strdup($0) } + [nil]
var argc = Int32(arguments.count)
let status = cArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        selected(UnsafeBufferPointer(start: data, count: size))
        return 0
    }
}
try? FileManager.default.removeItem(at: scratch)
exit(status)
