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

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

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
            let rouge = ROUGE(stemming: !noStemming)
            let splitter = SentenceSplitter()
            var ours = RougeTotals(), lead = RougeTotals()
            var lines: [String] = []
            let bar = ProgressBar("summarizing", total: articles.count, quiet: quiet)
            let started = Date()
            var summarizingSeconds = 0.0
            for (n, a) in articles.enumerated() {
                let reference = a.summary ?? ""
                let k = fixed ?? max(1, splitter.split(reference).count)
                let t0 = Date()
                let text: String
                let leadText: String
                do {
                    let s = try summarizer.summarize(a.text, title: a.title, length: .sentences(k), teaserCharacters: 10_000,
                                                     clean: false, source: a.id)
                    text = s.summaryText
                    leadText = s.sentences.prefix(k).map(\.text).joined(separator: " ")
                } catch is SummarizationError {
                    text = ""
                    leadText = ""
                }
                summarizingSeconds += Date().timeIntervalSince(t0)
                let referenceTokens = rouge.tokens(reference)
                ours.add(rouge.score(referenceTokens: referenceTokens, candidateTokens: rouge.tokens(text)))
                lead.add(rouge.score(referenceTokens: referenceTokens, candidateTokens: rouge.tokens(leadText)))
                if output != nil, let data = try? JSONSerialization.data(withJSONObject: ["id": a.id, "summary": text], options: [.sortedKeys]) {
                    lines.append(String(decoding: data, as: UTF8.self))
                }
                bar.update(n + 1)
            }
            bar.finish()
            if let output {
                do { try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: output) } catch {
                    throw IOFailure(description: "\(output): cannot write summaries")
                }
            }
            let count = Double(articles.count)
            let label = fixed.map { "Lead-\($0)" } ?? "Lead-k"
            if json {
                JSONOutput.printLine([
                    "articles": articles.count, "length": length, "stemming": !noStemming,
                    "copydesk": ours.object(count), "lead": lead.object(count), "lead_name": label,
                    "summarize_seconds": JSONOutput.rounded(summarizingSeconds),
                    "seconds_per_1000": JSONOutput.rounded(summarizingSeconds * 1000 / count),
                ])
            } else {
                print("\(articles.count) articles from \(path), length \(length), ROUGE F1 × 100\(noStemming ? " (no stemming)" : "")")
                print("method      ROUGE-1  ROUGE-2  ROUGE-L")
                print(ours.row("Copydesk", count))
                print(lead.row(label, count))
                print(String(format: "summarizing took %.2f s (%.2f s per 1,000 articles); whole run %.2f s",
                             summarizingSeconds, summarizingSeconds * 1000 / count, Date().timeIntervalSince(started)))
            }
        }
    }
}

/// Sums of ROUGE F1 over articles.
struct RougeTotals {
    var r1 = 0.0, r2 = 0.0, rl = 0.0

    mutating func add(_ s: ROUGEScores) {
        r1 += s.rouge1.f1
        r2 += s.rouge2.f1
        rl += s.rougeL.f1
    }

    func object(_ n: Double) -> [String: Double] {
        ["rouge1": JSONOutput.rounded(100 * r1 / n), "rouge2": JSONOutput.rounded(100 * r2 / n), "rougeL": JSONOutput.rounded(100 * rl / n)]
    }

    func row(_ name: String, _ n: Double) -> String {
        name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "  %7.2f  %7.2f  %7.2f", 100 * r1 / n, 100 * r2 / n, 100 * rl / n)
    }
}
