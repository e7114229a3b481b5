/// Precision, recall and F1 of one section.
public struct SectionScores: Sendable, Codable, Equatable {
    public var section: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Articles of this section in the test data.
    public var support: Int
}

/// Two sections the classifier mixes up, with example article ids.
public struct Confusion: Sendable, Codable, Equatable {
    public var actual: String
    public var predicted: String
    public var count: Int
    public var examples: [String]
}

/// One point of the coverage/accuracy curve: route automatically the articles whose top probability
/// is at least `threshold`, send the rest to an editor.
public struct CoveragePoint: Sendable, Codable, Equatable {
    public var threshold: Double
    /// Share of articles at or above the threshold.
    public var coverage: Double
    /// Accuracy among them (1 when none).
    public var accuracy: Double
}

/// Classification metrics over a labelled test set, scikit-learn's definitions: precision and
/// recall are 0 when undefined (no predictions / no support), F1 is 0 when both are; macro-F1 is the
/// unweighted mean over the sections present in the gold labels or in the predictions (scikit-learn's
/// default: a model section that occurs in neither does not count), weighted-F1 weights by support,
/// micro-F1 equals accuracy for single-label data.
public struct ClassificationMetrics: Sendable, Codable, Equatable {
    /// Row/column order of ``confusion``: the model's sections, then any unseen test labels.
    public var sections: [String]
    /// `confusion[actual][predicted]` counts.
    public var confusion: [[Int]]
    public var accuracy: Double
    public var macroF1: Double
    public var microF1: Double
    public var weightedF1: Double
    public var perSection: [SectionScores]
    public var mostConfused: [Confusion]
    public var count: Int
    /// Reliability of the top probability (15 equal-width bins), when confidences were given.
    public var reliability: [ReliabilityBin]?
    /// Expected calibration error over ``reliability``.
    public var ece: Double?
    /// Coverage and accuracy at thresholds 0, 0.05, …, 0.95, 0.99 (when confidences were given).
    public var coverage: [CoveragePoint]?

    /// The thresholds of ``coverage``.
    public static let coverageThresholds: [Double] = (0..<20).map { Double($0) / 20 } + [0.99]

    /// - Parameters:
    ///   - modelSections: the model's sections; test labels outside them are appended.
    ///   - pairs: (id, actual, predicted) per article.
    ///   - confidences: the top probability of each prediction, in the order of `pairs`.
    ///   - examplesPerConfusion: article ids kept as examples of each confusion.
    ///   - confusionLimit: how many of the most frequent confusions are listed.
    public init(sections modelSections: [String], pairs: [(id: String, actual: String, predicted: String)],
                confidences: [Double]? = nil, examplesPerConfusion: Int = 3, confusionLimit: Int = 5) {
        var sections = modelSections
        for p in pairs where !sections.contains(p.actual) { sections.append(p.actual) }
        let index = Dictionary(uniqueKeysWithValues: sections.enumerated().map { ($1, $0) })
        let k = sections.count
        var m = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        var examples = [[ [String] ]](repeating: [[String]](repeating: [], count: k), count: k)
        for p in pairs {
            let a = index[p.actual] ?? 0, b = index[p.predicted] ?? 0  // every actual label was added above
            m[a][b] += 1
            if a != b && examples[a][b].count < examplesPerConfusion { examples[a][b].append(p.id) }
        }
        let n = pairs.count
        var correct = 0
        var scores: [SectionScores] = []
        for c in 0..<k {
            correct += m[c][c]
            let support = m[c].reduce(0, +)
            let predicted = (0..<k).reduce(0) { $0 + m[$1][c] }
            let precision = predicted > 0 ? Double(m[c][c]) / Double(predicted) : 0
            let recall = support > 0 ? Double(m[c][c]) / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            scores.append(SectionScores(section: sections[c], precision: precision, recall: recall, f1: f1, support: support))
        }
        var confusions: [Confusion] = []
        for a in 0..<k { for b in 0..<k where a != b && m[a][b] > 0 {
            confusions.append(Confusion(actual: sections[a], predicted: sections[b], count: m[a][b], examples: examples[a][b]))
        } }
        confusions.sort { $0.count != $1.count ? $0.count > $1.count : ($0.actual, $0.predicted) < ($1.actual, $1.predicted) }
        self.sections = sections
        confusion = m
        accuracy = n > 0 ? Double(correct) / Double(n) : 0
        microF1 = accuracy
        let present = (0..<k).filter { c in scores[c].support > 0 || (0..<k).contains { m[$0][c] > 0 } }
        macroF1 = present.isEmpty ? 0 : present.reduce(0) { $0 + scores[$1].f1 } / Double(present.count)
        weightedF1 = n > 0 ? scores.reduce(0) { $0 + $1.f1 * Double($1.support) } / Double(n) : 0
        perSection = scores
        mostConfused = Array(confusions.prefix(confusionLimit))
        count = n
        if let confidences {
            precondition(confidences.count == pairs.count, "one confidence per prediction")
            let correct = pairs.map { $0.actual == $0.predicted }
            let bins = ReliabilityBin.table(confidences: confidences, correct: correct)
            reliability = bins
            ece = ReliabilityBin.ece(bins)
            coverage = ClassificationMetrics.coverageThresholds.map { t in
                var covered = 0, right = 0
                for (p, ok) in zip(confidences, correct) where p >= t {
                    covered += 1
                    right += ok ? 1 : 0
                }
                return CoveragePoint(threshold: t, coverage: n > 0 ? Double(covered) / Double(n) : 0,
                                     accuracy: covered > 0 ? Double(right) / Double(covered) : 1)
            }
        }
    }
}
