import ArgumentParser
import Copydesk
import Foundation

/// Reading article files for the text commands, with the same checks as `classify`.
extension InputKind: ExpressibleByArgument {}

struct ArticleInputOptions: ParsableArguments {
    @Argument(help: "Article files; '-' or nothing reads standard input.")
    var files: [String] = []

    @Option(help: "Refuse articles larger than this many bytes.")
    var maxBytes = TextInput.defaultMaxBytes

    @Flag(help: "Replace invalid UTF-8 instead of refusing the article.")
    var lossy = false

    @Option(help: "Input kind: auto (HTML when the file looks like a web page), text or html.")
    var input: InputKind = .auto

    var inputs: [String] { files.isEmpty ? ["-"] : files }

    func read(_ input: String) throws -> String { try TextInput.read(input, maxBytes: maxBytes, lossy: lossy) }

    /// The article in `path`: plain text, or a web page's article and title.
    func readArticle(_ path: String) throws -> ArticleInput {
        try ArticleInput.read(path, kind: input, maxBytes: maxBytes, lossy: lossy)
    }
}

/// A user file of extra abbreviations for the sentence splitter.
struct AbbreviationOptions: ParsableArguments {
    @Option(help: "More abbreviations, one per line: 'word' or 'word title|date|other'.")
    var abbreviations: String?

    func splitter() throws -> SentenceSplitter {
        var list = AbbreviationList.english
        if let abbreviations {
            guard let text = try? String(contentsOfFile: abbreviations, encoding: .utf8) else {
                throw ValidationError("--abbreviations '\(abbreviations)': not a readable UTF-8 file")
            }
            try list.add(lines: text, source: abbreviations)
        }
        return SentenceSplitter(.init(abbreviations: list))
    }
}

struct Sentences: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentences",
        abstract: "Split articles into sentences, one per line.")

    @OptionGroup var input: ArticleInputOptions
    @OptionGroup var abbreviations: AbbreviationOptions

    @Flag(help: "Print JSON Lines with each sentence's UTF-8 byte range and paragraph.")
    var json = false

    func run() throws {
        try Failure.guarded {
            let splitter = try abbreviations.splitter()
            for file in input.inputs {
                let text = try input.read(file)
                for s in splitter.split(text) {
                    if json {
                        JSONOutput.printLine(["file": file, "start": s.range.lowerBound, "end": s.range.upperBound,
                                              "paragraph": s.paragraph, "text": s.text])
                    } else {
                        print(s.text.replacingOccurrences(of: "\n", with: " "))
                    }
                }
            }
        }
    }
}

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Print an article's body without the page around it (navigation, prompts, captions, other stories).")

    @OptionGroup var input: ArticleInputOptions

    @Flag(help: "Also print what was dropped and why (on stdout, after the body).")
    var showRemoved = false

    func run() throws {
        try Failure.guarded {
            let cleaner = ArticleCleaner()
            for file in input.inputs {
                let cleaned = cleaner.clean(try input.read(file))
                guard !cleaned.paragraphs.isEmpty else {
                    throw InputError.empty(source: file == "-" ? "<stdin>" : file)
                }
                if let title = cleaned.title { print(title + "\n") }
                print(cleaned.body)
                if showRemoved {
                    print("\n-- removed \(cleaned.removed.count) block(s):")
                    for r in cleaned.removed {
                        let line = r.text.replacingOccurrences(of: "\n", with: " ")
                        print("[\(r.reason.rawValue)] \(line.count > 100 ? String(line.prefix(99)) + "…" : line)")
                    }
                }
            }
        }
    }
}
