import ArgumentParser
import Copydesk
import Foundation

struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cross-validate",
        abstract: "Stratified K-fold cross-validation: accuracy and macro-F1, mean ± sd.")

    @OptionGroup var corpus: CorpusOptions
    @OptionGroup var desks: CorpusDeskOptions
    @OptionGroup var training: TrainingOptions

    @Option(help: "Number of folds.")
    var folds = 5

    @Option(help: "Seed of the fold assignment.")
    var seed: UInt64 = 42

    @OptionGroup var jsonOption: JSONOption
    var json: Bool { jsonOption.json }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    func validate() throws {
        if folds < 2 { throw ValidationError("--folds must be at least 2") }
    }

    func run() throws {
        try Failure.guarded {
            let (tfidf, regression) = try training.configurations()
            let corpora = try corpus.readLabeledCorpora()
            let profiles = try desks.profiles(corpora: corpora.count)
            let total = corpora.reduce(0) { $0 + $1.count }
            guard total >= folds else {
                throw ValidationError("--folds \(folds) is more than the \(total) articles of the corpus")
            }
            var bar: ProgressBar?
            let cv = try CrossValidationResult.run(
                Array(zip(corpora, profiles)).map { (articles: $0.0, desk: $0.1) }, folds: folds, seed: seed,
                threads: regression.threads,
                train: { f, parts in
                    try TrainingRun(quiet: quiet, label: "fold \(f + 1)/\(folds)").train(parts, tfidf: tfidf, regression: regression)
                },
                evaluationProgress: { f, done, count in
                    if bar == nil { bar = ProgressBar("fold \(f + 1)/\(folds)", total: count, quiet: quiet) }
                    bar?.update(done)
                },
                foldDone: { fold in
                    bar?.finish()
                    bar = nil
                    guard !json else { return }
                    let m = fold.metrics
                    print(String(format: "fold %d/%d  %5d articles  accuracy %6.2f  macro-F1 %6.2f  ECE %.3f%@", fold.fold, folds,
                                 fold.articles, 100 * m.accuracy, 100 * m.macroF1, m.ece ?? 0,
                                 fold.converged ? "" : "  (not converged)"))
                })
            if json {
                JSONOutput.printLine(EvaluationJSON.crossValidation(cv))
            } else {
                let a = cv.accuracy, mf = cv.macroF1, e = cv.ece
                print(String(format: "mean      accuracy %.2f ± %.2f   macro-F1 %.2f ± %.2f   ECE %.3f   (%d folds, seed %llu)",
                             100 * a.mean, 100 * a.standardDeviation, 100 * mf.mean, 100 * mf.standardDeviation, e.mean, folds, seed))
            }
        }
    }
}
