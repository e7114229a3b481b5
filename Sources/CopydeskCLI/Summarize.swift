import ArgumentParser
import Copydesk
import Foundation

extension SummaryOrder: ExpressibleByArgument {}

/// Summary length and scoring weights, shared by `summarize` and `evaluate-summaries`.
struct SummaryOptions: ParsableArguments {
    @Option(help: "Score weight of LexRank centrality.")
    var centralityWeight = SummaryConfiguration().centrality
    @Option(help: "Score weight of coverage of the article's recurring terms.")
    var coverageWeight = SummaryConfiguration().coverage
    @Option(help: "Score weight of the news position prior exp(-i / position-decay).")
    var positionWeight = SummaryConfiguration().position
    @Option(help: "Sentences over which the position prior falls by a factor e.")
    var positionDecay = SummaryConfiguration().positionDecay
    @Option(help: "Score weight of similarity to the headline.")
    var headlineWeight = SummaryConfiguration().headline
    @Option(help: "Score weight of sentence length min(1, words / full-length).")
    var lengthWeight = SummaryConfiguration().length
    @Option(help: "Words at which a sentence gets the full length score.")
    var fullLength = SummaryConfiguration().fullLength
    @Option(help: "Redundancy penalty of maximal marginal relevance.")
    var redundancy = SummaryConfiguration().redundancy
    @Flag(help: "Keep a leading dateline (BEIRUT — ) in the lede and teaser.")
    var keepDateline = false

    func configuration() throws -> SummaryConfiguration {
        var c = SummaryConfiguration()
        c.centrality = centralityWeight
        c.coverage = coverageWeight
        c.position = positionWeight
        c.positionDecay = positionDecay
        c.headline = headlineWeight
        c.length = lengthWeight
        c.fullLength = fullLength
        c.redundancy = redundancy
        c.keepDateline = keepDateline
        do { try c.validate() } catch let e as ConfigurationError { throw ValidationError(e.description) }
        return c
    }
}

struct Summarize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Write the lede, a teaser and an extractive summary from each article's own sentences.")

    enum InputFormat: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    @OptionGroup var input: ArticleInputOptions
    @OptionGroup var weights: SummaryOptions
    @OptionGroup var abbreviations: AbbreviationOptions

    @Option(help: "Input format: text (one article per file) or jsonl (id, title, text per line).")
    var format: InputFormat = .text

    @Option(help: "Headline of a plain-text article (default: found in the text).")
    var title: String?

    @Option(help: "Summary length in sentences (default 3).")
    var sentences: Int?
    @Option(help: "Summary length in words.")
    var words: Int?
    @Option(help: "Summary length in characters.")
    var chars: Int?

    @Option(help: "Summary order: document or rank.")
    var order: SummaryOrder = .document

    @Option(help: "Teaser budget in characters.")
    var teaserChars = 200

    @Flag(help: "Include every sentence's score and its parts.")
    var scores = false

    @Flag(help: "Summarize the text as given, without removing page chrome.")
    var noClean = false

    @OptionGroup var jsonOption: JSONOption
    var json: Bool { jsonOption.json }

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int { threadsOption.threads }

    func validate() throws {
        let given = [sentences, words, chars].compactMap { $0 }
        if given.count > 1 { throw ValidationError("give at most one of --sentences, --words, --chars") }
        if let n = given.first, n < 1 { throw ValidationError("the summary length must be at least 1") }
        if teaserChars < 1 { throw ValidationError("--teaser-chars must be at least 1") }
    }

    var length: SummaryLength {
        if let words { return .words(words) }
        if let chars { return .characters(chars) }
        return .sentences(sentences ?? 3)
    }

    func run() throws {
        try Failure.guarded {
            let summarizer = Summarizer(try weights.configuration(), splitter: try abbreviations.splitter())
            var failures = 0
            for file in input.inputs {
                switch format {
                case .text:
                    do {
                        let article = try input.readArticle(file)
                        let name = file == "-" ? "<stdin>" : file
                        // A web page's article is already without the page around it.
                        let s = try summarizer.summarize(article.text, title: title ?? article.title, length: length, order: order,
                                                         teaserCharacters: teaserChars, clean: !noClean && !article.fromHTML,
                                                         source: name)
                        emit(s, id: nil, file: name)
                    } catch let e as InputError {
                        Terminal.error("\(e)"); failures += 1
                    } catch let e as SummarizationError {
                        Terminal.error("\(e)"); failures += 1
                    } catch let e as ExtractionError {
                        Terminal.error("\(e)"); failures += 1
                    }
                case .jsonl:
                    let reader = try JSONLinesReader(path: file, maxLineBytes: input.maxBytes)
                    let length = length, order = order, teaserChars = teaserChars, clean = !noClean, withScores = scores
                    let path = reader.displayName
                    failures += try JSONLinesPipeline(threads: threads).run(reader, makeWorker: {
                        var session = Summarizer.Session(summarizer)
                        return { line, record in
                            switch record {
                            case let .invalid(id, error):
                                return .failure(id: id, "\(error)")
                            case let .article(article):
                                do {
                                    let summary = try session.summarize(article.text, title: article.title, length: length, order: order,
                                                                        teaserCharacters: teaserChars, clean: clean,
                                                                        source: "\(path):\(line) (\(article.id))")
                                    return StreamOutput(json: Summarize.jsonLine(summary, id: article.id, file: nil, scores: withScores))
                                } catch {
                                    return .failure(id: article.id, "\(error)")
                                }
                            }
                        }
                    }, write: JSONOutput.write)
                }
            }
            if failures > 0 { throw ExitCode(Failure.badInput) }
        }
    }

    /// One summary as a JSON object on one line.
    static func jsonLine(_ s: ArticleSummary, id: String?, file: String?, scores: Bool) -> String {
        AnnotationJSON.summaryLine(s, id: id, file: file, scores: scores)
    }

    private func emit(_ s: ArticleSummary, id: String?, file: String?) {
        if json || format == .jsonl {
            print(Summarize.jsonLine(s, id: id, file: file, scores: scores))
            return
        }
        if let file { print("== \(file)") }
        if let t = s.title { print("headline: \(t)") }
        print("lede:     \(s.lede)")
        print("teaser:   \(s.teaser)\(s.teaserShortened ? "   [shortened]" : "")")
        print("summary:")
        for sentence in s.summary { print("  - \(sentence.text)") }
        if scores {
            print("scores (score = Σ weight · part: centrality c, coverage v, position p, headline h, length l):")
            for x in s.sentences {
                print(String(format: "  %3d  %.3f  c %.2f  v %.2f  p %.2f  h %.2f  l %.2f  ", x.index, x.score, x.centrality, x.coverage,
                             x.position, x.headline, x.length)
                      + String(x.text.prefix(70)))
            }
        }
        print("")
    }
}
