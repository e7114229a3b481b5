import Foundation

/// Temperature scaling (Guo, Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks",
/// ICML 2017): probabilities are `softmax(z / T)` for one temperature `T` fitted to minimise the
/// log-loss of *out-of-fold* scores, so that a top probability of 0.9 is right about 90% of the
/// time. It never changes which section wins, only how sure the model says it is.
///
/// A regularised linear model on L2-normalised TF-IDF is usually *under*-confident (its scores are
/// shrunk): T < 1 then sharpens the probabilities.
public struct Calibration: Sendable, Codable, Equatable {
    public var temperature: Double
    /// Folds whose held-out scores the temperature was fitted on.
    public var folds: Int
    /// Articles scored out of fold.
    public var articles: Int
    /// Expected calibration error of the out-of-fold top probabilities (15 bins) before and after.
    public var eceBefore: Double
    public var eceAfter: Double
    /// Mean log-loss of the out-of-fold scores before and after.
    public var logLossBefore: Double
    public var logLossAfter: Double
    /// The out-of-fold reliability table after calibration (for reports): per bin, articles, mean
    /// top probability and accuracy; and the same before.
    public var reliabilityBefore: [ReliabilityBin]
    public var reliabilityAfter: [ReliabilityBin]
    /// After the temperature, the top probability read through an isotonic (monotone) map fitted
    /// on the same out-of-fold articles: one temperature cannot give both the sure and the unsure
    /// articles their right confidence. Nil in models trained before it (they use the temperature
    /// alone). Chosen on development data (BENCHMARKS.md).
    public var topMap: IsotonicMap?

    public init(temperature: Double, folds: Int, articles: Int, eceBefore: Double, eceAfter: Double,
                logLossBefore: Double, logLossAfter: Double, reliabilityBefore: [ReliabilityBin],
                reliabilityAfter: [ReliabilityBin], topMap: IsotonicMap? = nil) {
        self.temperature = temperature
        self.folds = folds
        self.articles = articles
        self.eceBefore = eceBefore
        self.eceAfter = eceAfter
        self.logLossBefore = logLossBefore
        self.logLossAfter = logLossAfter
        self.reliabilityBefore = reliabilityBefore
        self.reliabilityAfter = reliabilityAfter
        self.topMap = topMap
    }

    /// `p` (the temperature's probabilities) with its top probability read through ``topMap``; the
    /// other sections share the rest in their proportions. The top section stays on top.
    public func adjusted(_ p: [Double]) -> [Double] {
        guard let topMap, p.count > 1 else { return p }
        let best = SectionClassifier.best(p)
        let top = p[best]
        guard top < 1 else { return p }
        var second = 0.0
        for (j, q) in p.enumerated() where j != best { second = max(second, q) }
        guard second < top else { return p }  // a tie stays as it is
        // The top at which `best` would tie with the runner-up once the others are rescaled
        // (between the runner-up and the top): the mapped top stays a hair above it.
        let floor = second / (1 - top + second)
        let mapped = min(1, max(topMap.value(at: top), floor + 1e-6 * (top - floor)))
        let rest = (1 - mapped) / (1 - top)
        return p.enumerated().map { $0.offset == best ? mapped : $0.element * rest }
    }

    /// Fits the temperature for a model trained on the articles of `counts` (texts already read
    /// through their desks) with sections `labels` and these settings: trains
    /// `regression.calibrationFolds` models on stratified folds (seed 42), each on its fold's own
    /// vocabulary and idf, and scores each held-out fold. An article whose section no fold model
    /// learnt (a section with fewer articles than folds) is left out of the fit. Returns nil when
    /// calibration is off (folds < 2), the corpus is smaller than two articles per fold, or a fold
    /// cannot be trained (a single section, no term).
    static func fit(labels: [String], counts: CorpusCounts,
                    regression: LogisticRegressionConfiguration,
                    progress: ((SectionClassifier.TrainingEvent) -> Void)?) throws -> Calibration? {
        let k = regression.calibrationFolds
        guard k >= 2, labels.count >= 2 * k else { return nil }
        let fold = StratifiedFolds.assign(labels: labels, folds: k, seed: 42)
        var foldSettings = regression
        foldSettings.calibrationFolds = 0
        // The fold models only need to rank and scale scores, not to reach the final digits.
        foldSettings.tolerance = max(regression.tolerance, calibrationTolerance)
        // A fold model learns from (k−1)/k of the articles; with the same C its penalty weighs more
        // per article and its scores come out smaller than the full model's, so the temperature
        // fitted on them would sharpen the full model too much. Scaling C by k/(k−1) keeps the
        // penalty per article the same (chosen on development data: BBC, HuffPost and 20 Newsgroups
        // train splits, calibrated on their first 75% and scored on their last 25%; BENCHMARKS.md).
        foldSettings.c = regression.c * Double(k) / Double(k - 1)
        // Each article's scores over the sections of the fold model that did not see it, and the
        // position of its own section among them.
        var scores: [[Double]] = [], labelPositions: [Int] = []
        scores.reserveCapacity(labels.count)
        labelPositions.reserveCapacity(labels.count)
        for f in 0..<k {
            progress?(.calibrating(fold: f + 1, of: k))
            let train = labels.indices.filter { fold[$0] != f }
            let heldOut = labels.indices.filter { fold[$0] == f }
            // A fold too small to train (one section, no term left after min-df) leaves the model
            // uncalibrated rather than failing the training it serves.
            let model: SectionClassifier
            var heldOutRows: CSRMatrix?
            do {
                model = try SectionClassifier.fit(labels: train.map { labels[$0] }, regression: foldSettings,
                                                  progress: nil) {
                    let (vectorizer, x, others) = try counts.fit(documents: train, others: heldOut,
                                                                 threads: regression.threads)
                    heldOutRows = others
                    return (vectorizer, x)
                }
            } catch is TrainingError {
                return nil
            }
            guard let rows = heldOutRows else { return nil }
            let position = Dictionary(uniqueKeysWithValues: model.sections.enumerated().map { ($1, $0) })
            for (r, i) in heldOut.enumerated() {
                guard let y = position[labels[i]] else { continue }
                scores.append(model.scores(rows.sparseRow(r)))
                labelPositions.append(y)
            }
        }
        guard !scores.isEmpty else { return nil }
        let labels = labelPositions
        let scale = fitScale(scores: scores, labels: labels)
        // The isotonic map of the tempered top probabilities to being right.
        var tops: [Double] = [], right: [Bool] = []
        for (z, y) in zip(scores, labels) {
            let p = SectionClassifier.softmax(z.map { $0 * scale })
            let best = SectionClassifier.best(p)
            tops.append(p[best])
            right.append(best == y)
        }
        // Isotonic regression overfits small calibration sets (scikit-learn's guide advises against
        // it well below a thousand samples): smaller corpora keep the temperature alone.
        let map = tops.count >= minimumArticlesForMap ? IsotonicMap.fit(tops, right) : nil
        var calibration = Calibration(temperature: 1 / scale, folds: k, articles: scores.count, eceBefore: 0, eceAfter: 0,
                                      logLossBefore: logLoss(scores: scores, labels: labels, scale: 1),
                                      logLossAfter: logLoss(scores: scores, labels: labels, scale: scale),
                                      reliabilityBefore: [], reliabilityAfter: [], topMap: map)
        let before = ReliabilityBin.table(scores: scores, labels: labels, scale: 1)
        let after = ReliabilityBin.table(scores: scores, labels: labels, scale: scale, calibration: calibration)
        calibration.reliabilityBefore = before
        calibration.reliabilityAfter = after
        calibration.eceBefore = ReliabilityBin.ece(before)
        calibration.eceAfter = ReliabilityBin.ece(after)
        return calibration
    }

    /// Out-of-fold articles needed before the isotonic map is fitted.
    static let minimumArticlesForMap = 1_000

    /// Gradient tolerance of the fold models.
    static let calibrationTolerance = 1e-3

    /// Mean `−log softmax(β z)[y]`.
    static func logLoss(scores: [[Double]], labels: [Int], scale beta: Double) -> Double {
        var total = 0.0
        for (z, y) in zip(scores, labels) {
            let m = z.max() ?? 0
            let lse = m * beta + log(z.reduce(0) { $0 + exp(beta * ($1 - m)) })
            total += lse - beta * z[y]
        }
        return total / Double(max(scores.count, 1))
    }

    /// The scale β = 1/T minimising the mean log-loss of `softmax(β z)`: the loss is convex in β
    /// (a log-sum-exp of linear functions minus a linear one), with derivative `E_p[z] − z_y` and
    /// second derivative `Var_p[z]`, so Newton's method with a step halving that keeps β > 0
    /// and the loss decreasing converges in a few steps.
    static func fitScale(scores: [[Double]], labels: [Int]) -> Double {
        var beta = 1.0
        var loss = logLoss(scores: scores, labels: labels, scale: beta)
        for _ in 0..<50 {
            var g = 0.0, h = 0.0
            for (z, y) in zip(scores, labels) {
                let m = z.max() ?? 0
                let e = z.map { exp(beta * ($0 - m)) }
                let s = e.reduce(0, +)
                var mean = 0.0, square = 0.0
                for (ez, zz) in zip(e, z) { mean += ez / s * zz; square += ez / s * zz * zz }
                g += mean - z[y]
                h += square - mean * mean
            }
            let n = Double(max(scores.count, 1))
            g /= n
            h /= n
            guard h > 1e-12, abs(g) > 1e-10 else { break }
            var step = g / h
            var next = beta - step
            var nextLoss = next > 0 ? logLoss(scores: scores, labels: labels, scale: next) : .infinity
            var halvings = 0
            while !(nextLoss <= loss), halvings < 40 {
                step /= 2
                next = beta - step
                nextLoss = next > 0 ? logLoss(scores: scores, labels: labels, scale: next) : .infinity
                halvings += 1
            }
            guard nextLoss <= loss else { break }
            let done = abs(next - beta) < 1e-9 * max(1, beta)
            beta = next
            loss = nextLoss
            if done { break }
        }
        return beta
    }
}

/// One bin of a reliability diagram: articles whose top probability falls in `[lower, upper)`.
public struct ReliabilityBin: Sendable, Codable, Equatable {
    public var lower: Double
    public var upper: Double
    public var count: Int
    /// Mean top probability in the bin (0 when empty).
    public var confidence: Double
    /// Share of the bin's articles whose top section is right (0 when empty).
    public var accuracy: Double

    /// The number of equal-width bins used for the expected calibration error.
    public static let binCount = 15

    /// Bins of the top probability and whether the top section was right.
    public static func table(confidences: [Double], correct: [Bool], bins: Int = binCount) -> [ReliabilityBin] {
        var count = [Int](repeating: 0, count: bins)
        var confidence = [Double](repeating: 0, count: bins), right = [Double](repeating: 0, count: bins)
        for (p, ok) in zip(confidences, correct) {
            let b = min(bins - 1, max(0, Int(p * Double(bins))))
            count[b] += 1
            confidence[b] += p
            right[b] += ok ? 1 : 0
        }
        return (0..<bins).map { b in
            ReliabilityBin(lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins), count: count[b],
                           confidence: count[b] > 0 ? confidence[b] / Double(count[b]) : 0,
                           accuracy: count[b] > 0 ? right[b] / Double(count[b]) : 0)
        }
    }

    static func table(scores: [[Double]], labels: [Int], scale: Double, calibration: Calibration? = nil) -> [ReliabilityBin] {
        var confidences: [Double] = [], correct: [Bool] = []
        for (z, y) in zip(scores, labels) {
            let tempered = SectionClassifier.softmax(z.map { $0 * scale })
            let p = calibration?.adjusted(tempered) ?? tempered
            let best = SectionClassifier.best(p)
            confidences.append(p[best])
            correct.append(best == y)
        }
        return table(confidences: confidences, correct: correct)
    }

    /// Expected calibration error: `Σ_b (n_b / n) · |accuracy_b − confidence_b|` (Naeini et al. 2015;
    /// Guo et al. 2017), the bins' weighted gap.
    public static func ece(_ bins: [ReliabilityBin]) -> Double {
        let n = bins.reduce(0) { $0 + $1.count }
        guard n > 0 else { return 0 }
        return bins.reduce(0) { $0 + Double($1.count) * abs($1.accuracy - $1.confidence) } / Double(n)
    }
}

/// The desk profiles a model learnt from. With place features, a text's places were replaced by
/// place words during training, so the model must read new texts through a desk too; the first
/// profile is the one it uses when none is given.
public struct ModelDesk: Sendable, Codable, Equatable {
    public var placeFeatures: Bool
    /// The first ``listed`` distinct profiles, in the order training met them.
    public var profiles: [DeskProfile]
    /// How many distinct profiles training met (records may carry their own).
    public var desks: Int

    /// The most profiles a model file lists.
    public static let listed = 8
}

/// A monotone (non-decreasing) map from a probability to the share of articles that were right,
/// fitted by pool-adjacent-violators (isotonic regression; Zadrozny & Elkan, KDD 2002) and read by
/// linear interpolation between the pooled blocks' mean probabilities.
public struct IsotonicMap: Sendable, Codable, Equatable {
    /// Blocks' mean input probabilities, increasing.
    public var x: [Double]
    /// Blocks' share of right answers, non-decreasing.
    public var y: [Double]

    public init(x: [Double], y: [Double]) {
        self.x = x
        self.y = y
    }

    /// Fits the map of `inputs` to `right`; nil for fewer than two blocks' worth of articles.
    public static func fit(_ inputs: [Double], _ right: [Bool]) -> IsotonicMap? {
        guard inputs.count >= 2, inputs.count == right.count else { return nil }
        let order = inputs.indices.sorted { inputs[$0] < inputs[$1] }
        // Blocks of (sum of inputs, sum of right, count), merged while a block's share falls below
        // the one before it.
        var blocks: [(x: Double, y: Double, n: Double)] = []
        for i in order {
            blocks.append((inputs[i], right[i] ? 1 : 0, 1))
            while blocks.count > 1 {
                let b = blocks[blocks.count - 1], a = blocks[blocks.count - 2]
                guard a.y / a.n > b.y / b.n else { break }
                blocks.removeLast(2)
                blocks.append((a.x + b.x, a.y + b.y, a.n + b.n))
            }
        }
        guard blocks.count >= 2 else { return nil }
        return IsotonicMap(x: blocks.map { $0.x / $0.n }, y: blocks.map { $0.y / $0.n })
    }

    /// The map at `p`: interpolated between blocks; below the first block on the line from 0 to it
    /// (an article less sure than any seen is not made surer than the least sure were right), above
    /// the last block its value.
    public func value(at p: Double) -> Double {
        guard let first = x.first, let last = x.last else { return p }
        if p <= first { return first > 0 ? y[0] * p / first : y[0] }
        if p >= last { return y[y.count - 1] }
        var lo = 0, hi = x.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if x[mid] <= p { lo = mid } else { hi = mid }
        }
        let span = x[hi] - x[lo]
        return span > 0 ? y[lo] + (y[hi] - y[lo]) * (p - x[lo]) / span : y[hi]
    }
}
