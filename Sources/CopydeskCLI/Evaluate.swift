import ArgumentParser
import Copydesk
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on a labelled corpus: accuracy, F1, per-section scores, confusions, calibration.",
        discussion: """
            Macro-F1 averages over the sections present in the labels or the predictions (scikit-learn's \
            convention); a model section in neither does not count. ECE: expected calibration error over 15 \
            equal-width bins of the top probability. Coverage: the share of articles whose top probability \
            reaches each threshold, and the accuracy among them.
            """)

    @OptionGroup var modelOption: ModelOption
    var model: String? { modelOption.model }

    @OptionGroup var corpus: CorpusOptions
    @OptionGroup var desks: CorpusDeskOptions

    @OptionGroup var jsonOption: JSONOption
    var json: Bool { jsonOption.json }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int { threadsOption.threads }

    func run() throws {
        try Failure.guarded {
            let path = ModelLocator.resolve(model)
            let loading = Background { try ModelFile.read(from: path) }
            let read = Result { try corpus.readLabeledCorpora(threads: threads) }
            // A bad model is reported before a bad corpus, as when the model was read first.
            let loaded = try loading.value()
            let corpora = try read.get()
            let profiles = try desks.profiles(corpora: corpora.count)
            var parts: [(SectionClassifier, [Article])] = []
            var shown: DeskProfile?
            for (articles, profile) in zip(corpora, profiles) {
                let (classifier, desk) = try DeskBinding.bind(loaded, deskPath: nil, profile: profile, warn: parts.isEmpty)
                shown = shown ?? desk
                parts.append((classifier, articles))
            }
            // Scored with the model's section names (the corpus's labels); shown with the desk's.
            let metrics = Evaluation.run(parts, threads: threads, quiet: quiet).renamed(by: shown)
            if json { JSONOutput.printLine(EvaluationJSON.metrics(metrics)) } else { Evaluation.printReport(metrics) }
        }
    }
}

enum Evaluation {
    static func run(_ classifier: SectionClassifier, on articles: [Article], threads: Int, quiet: Bool,
                    label: String = "evaluating") -> ClassificationMetrics {
        run([(classifier, articles)], threads: threads, quiet: quiet, label: label)
    }

    /// ``ModelEvaluation/run(_:threads:progress:)`` with a progress bar.
    static func run(_ parts: [(classifier: SectionClassifier, articles: [Article])], threads: Int, quiet: Bool,
                    label: String = "evaluating") -> ClassificationMetrics {
        let bar = ProgressBar(label, total: parts.reduce(0) { $0 + $1.articles.count }, quiet: quiet)
        defer { bar.finish() }
        return ModelEvaluation.run(parts, threads: threads) { bar.update($0) }
    }

    static func printReport(_ m: ClassificationMetrics) {
        let pct = { (x: Double) in String(format: "%6.2f", 100 * x) }
        print("articles \(m.count)   accuracy \(pct(m.accuracy))   macro-F1 \(pct(m.macroF1))   "
              + "micro-F1 \(pct(m.microF1))   weighted-F1 \(pct(m.weightedF1))"
              + (m.ece.map { String(format: "   ECE %.3f", $0) } ?? ""))
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
        if let coverage = m.coverage {
            print("")
            print("route automatically above a top probability of … (the rest to an editor)")
            for t in [0.5, 0.7, 0.8, 0.9, 0.95, 0.99] {
                guard let p = coverage.first(where: { abs($0.threshold - t) < 1e-9 }) else { continue }
                print(String(format: "  %.2f: %6.2f%% of articles routed, %6.2f%% of them right", t, 100 * p.coverage, 100 * p.accuracy))
            }
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
