/// Scores a model on labelled articles: what `copydesk evaluate`, `report` and each fold of
/// `cross-validate` run.
public enum ModelEvaluation {
    /// Articles classified per block; `progress` is told after each (the threads wait for each
    /// other at a block's end, so blocks are large).
    public static let block = 4096

    /// Metrics over several corpora, each classified by its own binding of the same model (its
    /// desk), on up to `threads` threads. `progress` gets the number of articles done.
    public static func run(_ parts: [(classifier: SectionClassifier, articles: [Article])], threads: Int,
                           progress: ((Int) -> Void)? = nil) -> ClassificationMetrics {
        let total = parts.reduce(0) { $0 + $1.articles.count }
        var pairs: [(id: String, actual: String, predicted: String)] = []
        var confidences: [Double] = []
        pairs.reserveCapacity(total)
        confidences.reserveCapacity(total)
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
                progress?(done)
            }
        }
        return ClassificationMetrics(sections: parts.first?.classifier.sections ?? [], pairs: pairs, confidences: confidences)
    }
}

extension ClassificationMetrics {
    /// The metrics with the sections called by `desk`'s names (unchanged without a desk or renames).
    public func renamed(by desk: DeskProfile?) -> ClassificationMetrics {
        guard let desk, !desk.sections.isEmpty else { return self }
        var r = self
        r.sections = sections.map(desk.displayName)
        r.perSection = perSection.map { var s = $0; s.section = desk.displayName(of: s.section); return s }
        r.mostConfused = mostConfused.map {
            var c = $0
            c.actual = desk.displayName(of: c.actual)
            c.predicted = desk.displayName(of: c.predicted)
            return c
        }
        return r
    }
}

/// One fold of a cross-validation: its test articles' metrics and whether its model converged.
public struct FoldResult: Sendable {
    public var fold: Int
    public var articles: Int
    public var metrics: ClassificationMetrics
    public var converged: Bool
}

/// Stratified K-fold cross-validation over corpora that each keep their own desk on both sides
/// of the split.
public struct CrossValidationResult: Sendable {
    public var folds: [FoldResult]
    public var seed: UInt64
    public var accuracy: MeanAndDeviation { MeanAndDeviation(folds.map(\.metrics.accuracy)) }
    public var macroF1: MeanAndDeviation { MeanAndDeviation(folds.map(\.metrics.macroF1)) }
    public var ece: MeanAndDeviation { MeanAndDeviation(folds.map { $0.metrics.ece ?? 0 }) }

    /// Runs `folds` folds (assignment: ``StratifiedFolds`` with `seed` over all the articles):
    /// `train` fits a model on a fold's training parts, which is scored on its held-out parts,
    /// each read as its corpus's desk. `evaluationProgress` gets the fold, the held-out articles
    /// scored and their number; `foldDone` is told of each fold as it ends.
    public static func run(_ corpora: [(articles: [Article], desk: DeskProfile?)], folds: Int, seed: UInt64, threads: Int,
                           train: (_ fold: Int, _ parts: [(articles: [Article], desk: DeskProfile?)]) throws -> SectionClassifier,
                           evaluationProgress: ((_ fold: Int, _ done: Int, _ of: Int) -> Void)? = nil,
                           foldDone: ((FoldResult) -> Void)? = nil) throws -> CrossValidationResult {
        let articles = corpora.flatMap(\.articles)
        let assignment = StratifiedFolds.assign(labels: articles.map { $0.label ?? "" }, folds: folds, seed: seed)
        var results: [FoldResult] = []
        for f in 0..<folds {
            var trainParts: [(articles: [Article], desk: DeskProfile?)] = [], testParts = trainParts
            var start = 0
            for (part, desk) in corpora {
                let range = start..<(start + part.count)
                trainParts.append((range.filter { assignment[$0] != f }.map { articles[$0] }, desk))
                testParts.append((range.filter { assignment[$0] == f }.map { articles[$0] }, desk))
                start += part.count
            }
            let model = try train(f, trainParts)
            let testCount = testParts.reduce(0) { $0 + $1.articles.count }
            let metrics = ModelEvaluation.run(testParts.map { (model.using(desk: $0.desk), $0.articles) }, threads: threads,
                                              progress: evaluationProgress.map { report in { report(f, $0, testCount) } })
            let result = FoldResult(fold: f + 1, articles: testCount, metrics: metrics,
                                    converged: model.report.optimizer.converged)
            results.append(result)
            foldDone?(result)
        }
        return CrossValidationResult(folds: results, seed: seed)
    }
}
