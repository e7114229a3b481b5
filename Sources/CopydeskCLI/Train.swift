import ArgumentParser
import Copydesk
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a section classifier on a labelled corpus and save it.")

    @OptionGroup var corpus: CorpusOptions
    @OptionGroup var training: TrainingOptions

    @Option(help: "Where to write the model (replaced atomically).")
    var output: String

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func run() throws {
        try Failure.guarded {
            let (tfidf, regression) = try training.configurations()
            let started = Date()
            let articles = try corpus.readLabeled()
            let model = try TrainingRun(quiet: quiet).train(articles, tfidf: tfidf, regression: regression)
            try ModelFile.write(model, to: output)
            let seconds = Date().timeIntervalSince(started)
            let o = model.report.optimizer
            print("""
                trained \(output): \(model.report.documents) articles, \(model.sections.count) sections, \
                \(model.vectorizer.featureCount) features
                optimizer: \(o.iterations) iterations, ‖∇f‖∞ = \(String(format: "%.2e", o.gradientNorm)), \
                \(o.converged ? "converged" : "NOT converged") (\(o.stopReason.rawValue)); \(String(format: "%.1f", seconds)) s
                """)
            if !o.converged {
                Terminal.warning("the optimizer stopped before converging (\(o.stopReason.rawValue)); raise --max-iterations or check the data")
            }
        }
    }
}

/// Training with a progress bar, shared by `train` and `cross-validate`.
struct TrainingRun {
    var quiet: Bool
    var label = "training"

    func train(_ articles: [Article], tfidf: TFIDFConfiguration, regression: LogisticRegressionConfiguration) throws -> SectionClassifier {
        let examples = articles.map { LabeledText(text: $0.classifierInput, label: $0.label ?? "") }
        let vectorizing = ProgressBar("\(label): vectorizing", total: examples.count, quiet: quiet)
        let optimizing = ProgressBar("\(label): optimizing", total: regression.maxIterations, quiet: quiet)
        defer { vectorizing.finish(); optimizing.finish() }
        return try SectionClassifier.train(examples, tfidf: tfidf, regression: regression) { event in
            switch event {
            case let .vectorized(n): vectorizing.update(n)
            case let .iteration(i, value, gradientNorm):
                if i == 1 { vectorizing.finish() }
                optimizing.update(i, detail: String(format: "loss %.5f  ‖∇f‖∞ %.1e", value, gradientNorm))
            }
        }
    }
}
