import ArgumentParser
import Copydesk
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a section classifier on a labelled corpus and save it.")

    @OptionGroup var corpus: CorpusOptions
    @OptionGroup var desks: CorpusDeskOptions
    @OptionGroup var training: TrainingOptions

    @Option(help: "Where to write the model (replaced atomically).")
    var output: String

    @Option(help: "Hold out this fraction of each section (e.g. 0.1), train on the rest, and report the held-out scores.")
    var holdout: Double?

    @Option(help: "Seed of the hold-out split.")
    var seed: UInt64 = 42

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

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
            let corpora = try corpus.readLabeledCorpora()
            let profiles = try desks.profiles(corpora: corpora.count)
            var parts = Array(zip(corpora, profiles))
            var heldOut: [(articles: [Article], desk: DeskProfile?)] = []
            if let holdout {
                parts = parts.map { articles, desk in
                    let held = StratifiedHoldout.select(labels: articles.map { $0.label ?? "" }, fraction: holdout, seed: seed)
                    heldOut.append((articles.indices.filter { held[$0] }.map { articles[$0] }, desk))
                    return (articles.indices.filter { !held[$0] }.map { articles[$0] }, desk)
                }
            }
            let model = try TrainingRun(quiet: quiet).train(parts, tfidf: tfidf, regression: regression)
            try ModelFile.write(model, to: output)
            let seconds = Date().timeIntervalSince(started)
            let o = model.report.optimizer
            print("""
                trained \(output): \(model.report.documents) articles, \(model.sections.count) sections, \
                \(model.vectorizer.featureCount) features
                optimizer: \(o.iterations) iterations, ‖∇f‖∞ = \(String(format: "%.2e", o.gradientNorm)), \
                \(o.converged ? "converged" : "NOT converged") (\(o.stopReason.rawValue)); \(String(format: "%.1f", seconds)) s
                """)
            if let c = model.calibration {
                print(String(format: "calibration: temperature %.3f from %d-fold out-of-fold scores; ECE %.3f → %.3f, log-loss %.3f → %.3f",
                             c.temperature, c.folds, c.eceBefore, c.eceAfter, c.logLossBefore, c.logLossAfter))
            } else if regression.calibrationFolds > 0 {
                Terminal.warning("probabilities not calibrated: too few articles for \(regression.calibrationFolds)-fold out-of-fold scores")
            }
            if let desk = model.desk {
                let named = desk.profiles.filter { $0.name != nil }
                let others = desk.desks - named.count
                print("desks: " + named.map { "\($0.name ?? "") (\($0.country), \($0.coverage.count) places)" }.joined(separator: ", ")
                      + (others > 0 ? "\(named.isEmpty ? "" : " and ")\(others) unnamed desk profile(s)" : "")
                      + "; places read as desk area, home region, home country or foreign")
            }
            if heldOut.contains(where: { !$0.articles.isEmpty }) {
                // Each corpus's held-out articles are read as its training articles were.
                let m = Evaluation.run(heldOut.map { (model.using(desk: $0.desk), $0.articles) },
                                       threads: regression.threads, quiet: quiet)
                print(String(format: "held out: %d articles (seed %llu), accuracy %.2f, macro-F1 %.2f, ECE %.3f",
                             m.count, seed, 100 * m.accuracy, 100 * m.macroF1, m.ece ?? 0))
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

    func train(_ corpora: [(articles: [Article], desk: DeskProfile?)], tfidf: TFIDFConfiguration,
               regression: LogisticRegressionConfiguration) throws -> SectionClassifier {
        let total = corpora.reduce(0) { $0 + $1.articles.count }
        let vectorizing = ProgressBar("\(label): vectorizing", total: total, quiet: quiet)
        let optimizing = ProgressBar("\(label): optimizing", total: regression.maxIterations, quiet: quiet)
        let calibrating = ProgressBar("\(label): calibrating", total: regression.calibrationFolds, quiet: quiet)
        defer { vectorizing.finish(); optimizing.finish(); calibrating.finish() }
        return try SectionClassifier.train(corpora: corpora, tfidf: tfidf, regression: regression) { event in
            switch event {
            case let .vectorized(n): vectorizing.update(n)
            case let .iteration(i, value, gradientNorm):
                if i == 1 { vectorizing.finish(); calibrating.finish() }
                optimizing.update(i, detail: String(format: "loss %.5f  ‖∇f‖∞ %.1e", value, gradientNorm))
            case let .calibrating(fold, _):
                vectorizing.finish()
                calibrating.update(fold - 1, detail: "fold \(fold)")
            }
        }
    }
}
