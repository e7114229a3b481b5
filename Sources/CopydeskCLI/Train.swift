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

    @Option(help: "Hold out this fraction of each section (e.g. 0.1), train on the rest, and report the held-out scores.")
    var holdout: Double?

    @Option(help: "Seed of the hold-out split.")
    var seed: UInt64 = 42

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        // Fail before training, not after: the model's folder must exist and be writable.
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--output '\(output)': folder '\(folder)' does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw ValidationError("--output '\(output)': folder '\(folder)' is not writable")
        }
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("--output '\(output)' is a directory")
        }
        if let holdout, !(holdout > 0 && holdout < 1) {
            throw ValidationError("--holdout \(holdout): expected a fraction between 0 and 1, such as 0.1")
        }
    }

    func run() throws {
        try Failure.guarded {
            let (tfidf, regression) = try training.configurations()
            let started = Date()
            var articles = try corpus.readLabeled()
            var heldOut: [Article] = []
            if let holdout {
                let held = StratifiedHoldout.select(labels: articles.map { $0.label ?? "" }, fraction: holdout, seed: seed)
                heldOut = articles.indices.filter { held[$0] }.map { articles[$0] }
                articles = articles.indices.filter { !held[$0] }.map { articles[$0] }
            }
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
            if !heldOut.isEmpty {
                let m = Evaluation.run(model, on: heldOut, threads: regression.threads, quiet: quiet)
                print(String(format: "held out: %d articles (seed %llu), accuracy %.2f, macro-F1 %.2f",
                             heldOut.count, seed, 100 * m.accuracy, 100 * m.macroF1))
            }
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
