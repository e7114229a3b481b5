import Foundation

/// The JSON objects of evaluations: what `evaluate --json`, `cross-validate --json` and
/// `evaluate-summaries --json` print.
public enum EvaluationJSON {
    /// Classification metrics: counts, accuracy and F1s, per-section scores, the confusion matrix,
    /// ECE, the coverage/accuracy curve and the most confused pairs.
    public static func metrics(_ m: ClassificationMetrics) -> [String: Any] {
        let r = JSONLine.rounded
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

    /// A cross-validation: each fold's scores, and the mean and standard deviation of accuracy,
    /// macro-F1 and ECE.
    public static func crossValidation(_ cv: CrossValidationResult) -> [String: Any] {
        let r = JSONLine.rounded
        func summary(_ m: MeanAndDeviation) -> [String: Any] { ["mean": r(m.mean), "sd": r(m.standardDeviation)] }
        return [
            "folds": cv.folds.map {
                ["fold": $0.fold, "articles": $0.articles, "accuracy": r($0.metrics.accuracy), "macro_f1": r($0.metrics.macroF1),
                 "ece": r($0.metrics.ece ?? 0), "converged": $0.converged] as [String: Any]
            },
            "seed": cv.seed, "accuracy": summary(cv.accuracy), "macro_f1": summary(cv.macroF1), "ece": summary(cv.ece),
        ]
    }
}
