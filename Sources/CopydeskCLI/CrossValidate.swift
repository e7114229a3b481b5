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

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if folds < 2 { throw ValidationError("--folds must be at least 2") }
    }

    func run() throws {
        try Failure.guarded {
            let (tfidf, regression) = try training.configurations()
            let corpora = try corpus.readLabeledCorpora()
            let profiles = try desks.profiles(corpora: corpora.count)
            let articles = corpora.flatMap { $0 }
            guard articles.count >= folds else {
                throw ValidationError("--folds \(folds) is more than the \(articles.count) articles of the corpus")
            }
            let assignment = StratifiedFolds.assign(labels: articles.map { $0.label ?? "" }, folds: folds, seed: seed)
            var accuracies: [Double] = [], macros: [Double] = [], eces: [Double] = []
            var rows: [[String: Any]] = []
            for f in 0..<folds {
                // Each corpus keeps its own desk on both sides of the split.
                var train: [(articles: [Article], desk: DeskProfile?)] = [], test: [(articles: [Article], desk: DeskProfile?)] = []
                var start = 0
                for (part, desk) in zip(corpora, profiles) {
                    let range = start..<(start + part.count)
                    train.append((range.filter { assignment[$0] != f }.map { articles[$0] }, desk))
                    test.append((range.filter { assignment[$0] == f }.map { articles[$0] }, desk))
                    start += part.count
                }
                let model = try TrainingRun(quiet: quiet, label: "fold \(f + 1)/\(folds)")
                    .train(train, tfidf: tfidf, regression: regression)
                let m = Evaluation.run(test.map { (model.using(desk: $0.desk), $0.articles) }, threads: regression.threads,
                                       quiet: quiet, label: "fold \(f + 1)/\(folds)")
                let count = test.reduce(0) { $0 + $1.articles.count }
                accuracies.append(m.accuracy)
                macros.append(m.macroF1)
                eces.append(m.ece ?? 0)
                rows.append(["fold": f + 1, "articles": count, "accuracy": JSONOutput.rounded(m.accuracy),
                             "macro_f1": JSONOutput.rounded(m.macroF1), "ece": JSONOutput.rounded(m.ece ?? 0),
                             "converged": model.report.optimizer.converged])
                if !json {
                    print(String(format: "fold %d/%d  %5d articles  accuracy %6.2f  macro-F1 %6.2f  ECE %.3f%@", f + 1, folds, count,
                                 100 * m.accuracy, 100 * m.macroF1, m.ece ?? 0,
                                 model.report.optimizer.converged ? "" : "  (not converged)"))
                }
            }
            let a = MeanAndDeviation(accuracies), mf = MeanAndDeviation(macros), e = MeanAndDeviation(eces)
            if json {
                JSONOutput.printLine([
                    "folds": rows, "seed": seed,
                    "accuracy": ["mean": JSONOutput.rounded(a.mean), "sd": JSONOutput.rounded(a.standardDeviation)],
                    "macro_f1": ["mean": JSONOutput.rounded(mf.mean), "sd": JSONOutput.rounded(mf.standardDeviation)],
                    "ece": ["mean": JSONOutput.rounded(e.mean), "sd": JSONOutput.rounded(e.standardDeviation)],
                ])
            } else {
                print(String(format: "mean      accuracy %.2f ± %.2f   macro-F1 %.2f ± %.2f   ECE %.3f   (%d folds, seed %llu)",
                             100 * a.mean, 100 * a.standardDeviation, 100 * mf.mean, 100 * mf.standardDeviation, e.mean, folds, seed))
            }
        }
    }
}
