import ArgumentParser
import Copydesk
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a model on a labelled corpus: accuracy, F1, per-section scores, confusions, calibration.",
        discussion: """
            Macro-F1 averages over the sections present in the labels or the predictions (scikit-learn's \
            convention); a model section in neither does not count. ECE: expected calibration error over 15 \
            equal-width bins of the top probability. Coverage: the share of articles whose top probability \
            reaches each threshold, and the accuracy among them.
            """)

    @Option(help: "Model file (default: $COPYDESK_MODEL or models/sections.cdm).")
    var model: String?

    @OptionGroup var corpus: CorpusOptions
    @OptionGroup var desks: CorpusDeskOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Option(help: "Threads for vectorizing.")
    var threads = 2

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

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
            let metrics = Evaluation.renamed(Evaluation.run(parts, threads: threads, quiet: quiet), by: shown)
            if json { JSONOutput.printLine(Evaluation.jsonObject(metrics)) } else { Evaluation.printReport(metrics) }
        }
    }
}

enum Evaluation {
    static func run(_ classifier: SectionClassifier, on articles: [Article], threads: Int, quiet: Bool,
                    label: String = "evaluating") -> ClassificationMetrics {
        run([(classifier, articles)], threads: threads, quiet: quiet, label: label)
    }

    /// Metrics over several corpora, each classified by its own binding of the same model (its desk).
    static func run(_ parts: [(classifier: SectionClassifier, articles: [Article])], threads: Int, quiet: Bool,
                    label: String = "evaluating") -> ClassificationMetrics {
        let total = parts.reduce(0) { $0 + $1.articles.count }
        let bar = ProgressBar(label, total: total, quiet: quiet)
        defer { bar.finish() }
        var pairs: [(id: String, actual: String, predicted: String)] = []
        var confidences: [Double] = []
        pairs.reserveCapacity(total)
        confidences.reserveCapacity(total)
        // Blocks for the progress bar; the threads wait for each other at the end of each.
        let block = 4096
        var done = 0
        for (classifier, articles) in parts {
            var start = 0
            while start < articles.count {
                let slice = articles[start..<min(start + block, articles.count)]
                let best = classifier.bestSections(slice, threads: threads)
                for (a, s) in zip(slice, best) {
                    pairs.append((a.id, a.label ?? "", classifier.sections[s.section]))
                    confidences.append(s.probability)
                }
                start += block
                done += slice.count
                bar.update(done)
            }
        }
        return ClassificationMetrics(sections: parts.first?.classifier.sections ?? [], pairs: pairs, confidences: confidences)
    }

    /// `m` with the sections called by `desk`'s names (unchanged without a desk or renames).
    static func renamed(_ m: ClassificationMetrics, by desk: DeskProfile?) -> ClassificationMetrics {
        guard let desk, !desk.sections.isEmpty else { return m }
        var r = m
        r.sections = m.sections.map(desk.displayName)
        r.perSection = m.perSection.map { var s = $0; s.section = desk.displayName(of: s.section); return s }
        r.mostConfused = m.mostConfused.map {
            var c = $0
            c.actual = desk.displayName(of: c.actual)
            c.predicted = desk.displayName(of: c.predicted)
            return c
        }
        return r
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
            "ece": m.ece.map { r($0) as Any } ?? NSNull(),
            "coverage": (m.coverage ?? []).map {
                ["threshold": r($0.threshold), "coverage": r($0.coverage), "accuracy": r($0.accuracy)] as [String: Any]
            },
            "most_confused": m.mostConfused.map {
                ["actual": $0.actual, "predicted": $0.predicted, "count": $0.count, "examples": $0.examples] as [String: Any]
            },
        ]
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
