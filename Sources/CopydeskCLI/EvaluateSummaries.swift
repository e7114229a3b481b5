import ArgumentParser
import Copydesk
import Foundation

struct EvaluateSummaries: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-summaries",
        abstract: "ROUGE-1/2/L of Copydesk's summaries and of the Lead-N baseline against reference summaries.")

    @Option(help: "A JSONL corpus with a 'summary' field, or a folder holding <split>.jsonl.")
    var corpus: String

    @Option(help: "Split to read when --corpus is a folder.")
    var split = "test"

    @Option(help: "Summary length: 'reference' (as many sentences as the reference) or a number of sentences.")
    var length = "reference"

    @Flag(help: "Score without Porter stemming (rouge-score's use_stemmer=False).")
    var noStemming = false

    @Option(help: "Also write Copydesk's summaries as JSONL (id, summary) to this file.")
    var output: String?

    @OptionGroup var weights: SummaryOptions

    @OptionGroup var jsonOption: JSONOption
    var json: Bool { jsonOption.json }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    func run() throws {
        try Failure.guarded {
            let fixed: Int?
            if length == "reference" { fixed = nil }
            else if let n = Int(length), n >= 1 { fixed = n }
            else { throw ValidationError("--length '\(length)': expected 'reference' or a positive number of sentences") }
            var path = corpus
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: corpus, isDirectory: &isDirectory), isDirectory.boolValue {
                path = corpus + "/" + split + ".jsonl"
            }
            let articles = try CorpusReader.read(path, format: .jsonl).filter { !($0.summary ?? "").isEmpty }
            guard !articles.isEmpty else { throw CorpusError.empty(path: path + " (no article has a reference summary)") }
            let summarizer = Summarizer(try weights.configuration())
            let bar = ProgressBar("summarizing", total: articles.count, quiet: quiet)
            let started = Date()
            let result = SummaryEvaluation.run(articles, summarizer: summarizer, sentences: fixed,
                                               rouge: ROUGE(stemming: !noStemming)) { bar.update($0) }
            bar.finish()
            let summarizingSeconds = result.summarizingSeconds
            if let output {
                let lines = result.summaries.map { JSONLine.line(["id": $0.id, "summary": $0.text]) }
                do { try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: output) } catch {
                    throw IOFailure(description: "\(output): cannot write summaries")
                }
            }
            let count = Double(articles.count)
            let label = fixed.map { "Lead-\($0)" } ?? "Lead-k"
            if json {
                JSONOutput.printLine([
                    "articles": articles.count, "length": length, "stemming": !noStemming,
                    "copydesk": Self.object(result.copydesk, articles.count), "lead": Self.object(result.lead, articles.count),
                    "lead_name": label,
                    "summarize_seconds": JSONOutput.rounded(summarizingSeconds),
                    "seconds_per_1000": JSONOutput.rounded(summarizingSeconds * 1000 / count),
                ])
            } else {
                print("\(articles.count) articles from \(path), length \(length), ROUGE F1 × 100\(noStemming ? " (no stemming)" : "")")
                print("method      ROUGE-1  ROUGE-2  ROUGE-L")
                print(Self.row("Copydesk", result.copydesk, articles.count))
                print(Self.row(label, result.lead, articles.count))
                print(String(format: "summarizing took %.2f s (%.2f s per 1,000 articles); whole run %.2f s",
                             summarizingSeconds, summarizingSeconds * 1000 / count, Date().timeIntervalSince(started)))
            }
        }
    }

    static func object(_ t: RougeTotals, _ articles: Int) -> [String: Double] {
        let p = t.percentages(over: articles)
        return ["rouge1": JSONOutput.rounded(p.rouge1), "rouge2": JSONOutput.rounded(p.rouge2), "rougeL": JSONOutput.rounded(p.rougeL)]
    }

    static func row(_ name: String, _ t: RougeTotals, _ articles: Int) -> String {
        let p = t.percentages(over: articles)
        return name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "  %7.2f  %7.2f  %7.2f", p.rouge1, p.rouge2, p.rougeL)
    }
}
