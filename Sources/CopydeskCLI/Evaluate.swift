import ArgumentParser
import Copydesk
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a model on a labelled corpus: accuracy, F1, per-section scores, confusions.")

    @Option(help: "Model file (default: $COPYDESK_MODEL or models/sections.cdm).")
    var model: String?

    @OptionGroup var corpus: CorpusOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Option(help: "Threads for vectorizing.")
    var threads = 2

    func run() throws {
        try Failure.guarded {
            let path = ModelLocator.resolve(model)
            let loading = Background { try ModelFile.read(from: path) }
            let read = Result { try corpus.readLabeled(threads: threads) }
            // A bad model is reported before a bad corpus, as when the model was read first.
            let classifier = try loading.value()
            let articles = try read.get()
            let metrics = Evaluation.run(classifier, on: articles, threads: threads, quiet: quiet)
            if json { JSONOutput.printLine(Evaluation.jsonObject(metrics)) } else { Evaluation.printReport(metrics) }
        }
    }
}

enum Evaluation {
    static func run(_ classifier: SectionClassifier, on articles: [Article], threads: Int, quiet: Bool,
                    label: String = "evaluating") -> ClassificationMetrics {
        let bar = ProgressBar(label, total: articles.count, quiet: quiet)
        defer { bar.finish() }
        var pairs: [(id: String, actual: String, predicted: String)] = []
        pairs.reserveCapacity(articles.count)
        // Blocks for the progress bar; the threads wait for each other at the end of each.
        let block = 4096
        var start = 0
        while start < articles.count {
            let slice = articles[start..<min(start + block, articles.count)]
            let best = classifier.bestSections(slice, threads: threads)
            for (a, s) in zip(slice, best) { pairs.append((a.id, a.label ?? "", classifier.sections[s])) }
            start += block
            bar.update(min(start, articles.count))
        }
        return ClassificationMetrics(sections: classifier.sections, pairs: pairs)
    }

    static func jsonObject(_ m: ClassificationMetrics) -> [String: Any] {
        let r = JSONOutput.rounded
        var perClass: [String: Any] = [:]
        for s in m.perSection {
            perClass[s.section] = ["precision": r(s.precision), "recall": r(s.recall), "f1": r(s.f1), "support": s.support]
        }
        return [
            "articles": m.count, "accuracy": r(m.accuracy), "macro_f1": r(m.macroF1), "micro_f1": r(m.microF1),
            "weighted_f1": r(m.weightedF1), "per_class": perClass,
            "confusion": ["labels": m.sections, "matrix": m.confusion],
            "most_confused": m.mostConfused.map {
                ["actual": $0.actual, "predicted": $0.predicted, "count": $0.count, "examples": $0.examples] as [String: Any]
            },
        ]
    }

    static func printReport(_ m: ClassificationMetrics) {
        let pct = { (x: Double) in String(format: "%6.2f", 100 * x) }
        print("articles \(m.count)   accuracy \(pct(m.accuracy))   macro-F1 \(pct(m.macroF1))   "
              + "micro-F1 \(pct(m.microF1))   weighted-F1 \(pct(m.weightedF1))")
        print("")
        let width = max(8, m.sections.map(\.count).max() ?? 8)
        print("section".padding(toLength: width, withPad: " ", startingAt: 0) + "  precision  recall      F1  support")
        for s in m.perSection {
            print(s.section.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "     \(pct(s.precision))  \(pct(s.recall))  \(pct(s.f1))  \(String(format: "%7d", s.support))")
        }
        print("")
        print("confusion (rows: actual, columns: predicted, in the order above)")
        for (i, row) in m.confusion.enumerated() {
            print(m.sections[i].padding(toLength: width, withPad: " ", startingAt: 0) + " " + row.map { String(format: "%5d", $0) }.joined())
        }
        if !m.mostConfused.isEmpty {
            print("")
            print("most confused")
            for c in m.mostConfused {
                print("  \(c.actual) → \(c.predicted): \(c.count)   e.g. \(c.examples.joined(separator: ", "))")
            }
        }
    }
}
