import ArgumentParser
import Copydesk
import Foundation

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify articles: plain text files (or stdin), or a JSONL stream.")

    enum InputFormat: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    @OptionGroup var modelOption: ModelOption
    var model: String? { modelOption.model }

    @Argument(help: "Article files; '-' or nothing reads standard input.")
    var files: [String] = []

    @Option(help: "Input format: text (one article per file) or jsonl (one article per line).")
    var format: InputFormat = .text

    @Option(help: "How many sections to list (default: 3 in text output, all in JSON).")
    var top: Int?

    @Option(help: "List the N terms that contributed most to the chosen section.")
    var explain = 0

    @OptionGroup var jsonOption: JSONOption
    var json: Bool { jsonOption.json }

    @Option(help: "Refuse articles larger than this many bytes.")
    var maxBytes = TextInput.defaultMaxBytes

    @Flag(help: "Replace invalid UTF-8 instead of refusing the article.")
    var lossy = false

    @Option(help: "Input kind of files: auto (HTML when the file looks like a web page), text or html.")
    var input: InputKind = .auto

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int { threadsOption.threads }

    @Option(help: "Desk profile (JSON): the paper's coverage and country, optional name and section names.")
    var desk: String?

    @Option(help: "Mark articles whose top probability is below P as needing review (\"review\": true in JSON).")
    var reviewBelow: Double?

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if explain < 0 { throw ValidationError("--explain must be 0 or more") }
        if maxBytes < 1 { throw ValidationError("--max-bytes must be positive") }
        if let reviewBelow, !(reviewBelow >= 0 && reviewBelow <= 1) {
            throw ValidationError("--review-below \(reviewBelow): expected a probability between 0 and 1, such as 0.8")
        }
    }

    func run() throws {
        try Failure.guarded {
            let path = ModelLocator.resolve(model)
            let (classifier, profile) = try DeskBinding.bind(try ModelFile.read(from: path), deskPath: desk)
            let inputs = files.isEmpty ? ["-"] : files
            var failures = 0
            for input in inputs {
                switch format {
                case .text:
                    do {
                        let article = try ArticleInput.read(input, kind: self.input, maxBytes: maxBytes, lossy: lossy)
                        emit(classifier.classify(article.classifierInput, explain: explain), id: input == "-" ? "<stdin>" : input, profile)
                    } catch let error as InputError {
                        Terminal.error("\(error)")
                        failures += 1
                    } catch let error as ExtractionError {
                        Terminal.error("\(error)")
                        failures += 1
                    }
                case .jsonl:
                    let reader = try JSONLinesReader(path: input, maxLineBytes: maxBytes)
                    let explain = explain, top = top, reviewBelow = reviewBelow, path = reader.displayName
                    failures += try JSONLinesPipeline(threads: threads).run(reader, makeWorker: {
                        { line, record in
                            switch record {
                            case let .invalid(id, error):
                                return .failure(id: id, "\(error)")
                            case let .article(article):
                                let text = article.classifierInput
                                if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                                    return .failure(id: article.id, "\(path):\(line): the article is empty")
                                }
                                if profile == nil, top == nil, explain == 0 {
                                    // Every section under the model's names: no ranking needed.
                                    return StreamOutput(json: AnnotationJSON.classificationLine(
                                        probabilities: classifier.probabilities(of: text), of: classifier, id: article.id,
                                        reviewBelow: reviewBelow))
                                }
                                let p = classifier.classify(text, explain: explain)
                                return StreamOutput(json: AnnotationJSON.classificationLine(
                                    p, id: article.id, desk: profile, top: top, explain: explain > 0, reviewBelow: reviewBelow))
                            }
                        }
                    }, write: JSONOutput.write)
                }
            }
            if failures > 0 {
                throw ExitCode(Failure.badInput)
            }
        }
    }

    /// `p` on standard output, with the section names of `profile` (the desk the article was read as).
    private func emit(_ p: Prediction, id: String, _ profile: DeskProfile?) {
        let name = { (section: String) in profile?.displayName(of: section) ?? section }
        let review = reviewBelow.map { p.probabilities[0].probability < $0 }
        if json || format == .jsonl {
            print(AnnotationJSON.classificationLine(p, id: id, desk: profile, top: top, explain: explain > 0,
                                                    reviewBelow: reviewBelow))
            return
        }
        let shown = p.probabilities.prefix(top ?? 3)
        print("\(id): \(name(p.section)) (\(String(format: "%.1f%%", 100 * p.probabilities[0].probability)))"
              + (review == true ? "  needs review" : ""))
        if shown.count > 1 {
            print("  " + shown.map { "\(name($0.section)) \(String(format: "%.1f%%", 100 * $0.probability))" }.joined(separator: " · "))
        }
        if explain > 0 {
            print("  why \(name(p.section)):" + (p.explanation.isEmpty ? " no known term supports it (intercept only)" : ""))
            for t in p.explanation {
                print("    \(t.term.padding(toLength: 24, withPad: " ", startingAt: 0)) "
                      + String(format: "%+.3f  (tf-idf %.3f × weight %+.2f)", t.contribution, t.tfidf, t.weight))
            }
        }
    }
}
