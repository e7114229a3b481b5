import Testing
@testable import Copydesk

@Suite struct MetricsTests {
    /// actual → predicted: a→a, a→a, a→b, b→b, c→a; section "d" is in the model but not the data.
    @Test func handComputedMetrics() {
        let m = ClassificationMetrics(sections: ["a", "b", "c", "d"], pairs: [
            ("1", "a", "a"), ("2", "a", "a"), ("3", "a", "b"), ("4", "b", "b"), ("5", "c", "a"),
        ])
        #expect(m.accuracy == 3.0 / 5.0 && m.microF1 == m.accuracy)
        let a = m.perSection[0], b = m.perSection[1], c = m.perSection[2], d = m.perSection[3]
        #expect(isClose(a.precision, 2.0 / 3.0) && isClose(a.recall, 2.0 / 3.0) && isClose(a.f1, 2.0 / 3.0) && a.support == 3)
        #expect(isClose(b.precision, 0.5) && b.recall == 1 && isClose(b.f1, 2.0 / 3.0) && b.support == 1)
        #expect(c.precision == 0 && c.recall == 0 && c.f1 == 0 && c.support == 1)
        #expect(d.section == "d" && d.support == 0 && d.f1 == 0)
        // scikit-learn's f1_score(average="macro") averages over a, b, c (in the labels or the
        // predictions); "d", in neither, does not count.
        #expect(isClose(m.macroF1, (2.0 / 3.0 + 2.0 / 3.0) / 3))
        #expect(isClose(m.weightedF1, (3 * 2.0 / 3.0 + 2.0 / 3.0) / 5))
        #expect(m.confusion == [[2, 1, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]])
        #expect(m.mostConfused.map { "\($0.actual)>\($0.predicted):\($0.examples)" } == ["a>b:[\"3\"]", "c>a:[\"5\"]"])
    }

    /// Three predictions with top probabilities 0.95 (right), 0.9 (wrong), 0.5 (right): bins 14, 13
    /// and 7 of 15; each bin's gap is |accuracy − confidence|.
    @Test func calibrationErrorAndCoverage() {
        let m = ClassificationMetrics(sections: ["a", "b"], pairs: [("1", "a", "a"), ("2", "a", "b"), ("3", "b", "b")],
                                      confidences: [0.95, 0.9, 0.5])
        #expect(isClose(m.ece ?? -1, (abs(1 - 0.95) + abs(0 - 0.9) + abs(1 - 0.5)) / 3))
        #expect(m.reliability?.map(\.count).enumerated().filter { $0.element > 0 }.map(\.offset) == [7, 13, 14])
        let at = { (t: Double) in m.coverage!.first { isClose($0.threshold, t) }! }
        #expect(at(0).coverage == 1 && isClose(at(0).accuracy, 2.0 / 3.0))
        #expect(isClose(at(0.9).coverage, 2.0 / 3.0) && at(0.9).accuracy == 0.5)
        #expect(isClose(at(0.95).coverage, 1.0 / 3.0) && at(0.95).accuracy == 1)
        #expect(at(0.99).coverage == 0 && at(0.99).accuracy == 1)
        #expect(ClassificationMetrics(sections: ["a", "b"], pairs: [("1", "a", "a")]).ece == nil)
    }

    /// Temperature scaling recovers the scale that generated the labels: scores drawn so that the
    /// true probabilities are softmax(3 z), fitted from z, give β ≈ 3.
    @Test func temperatureFitRecoversTheScale() {
        var generator = SplitMix64(seed: 7)
        var scores: [[Double]] = [], labels: [Int] = []
        for _ in 0..<4000 {
            let z = (0..<4).map { _ in Double.random(in: -1...1, using: &generator) }
            let p = SectionClassifier.softmax(z.map { 3 * $0 })
            var u = Double.random(in: 0..<1, using: &generator), y = 0
            while y < 3 && u >= p[y] { u -= p[y]; y += 1 }
            scores.append(z)
            labels.append(y)
        }
        let beta = Calibration.fitScale(scores: scores, labels: labels)
        #expect(abs(beta - 3) < 0.3, "fitted β \(beta)")
        #expect(Calibration.logLoss(scores: scores, labels: labels, scale: beta)
                <= Calibration.logLoss(scores: scores, labels: labels, scale: 1))
    }

    /// min-df 3 keeps "xx" and "yy" over six articles, but no fold of four has a term in three: the
    /// model trains, uncalibrated, instead of failing.
    @Test func anUntrainableFoldLeavesTheModelUncalibrated() throws {
        let texts = ["xx aa", "xx bb", "xx cc", "yy dd", "yy ee", "yy ff"]
        let examples = texts.enumerated().map { LabeledText(text: $1, label: $0 < 3 ? "a" : "b") }
        let model = try SectionClassifier.train(examples, tfidf: .init(minDF: .count(3)))
        #expect(model.calibration == nil && model.vectorizer.featureCount == 2)
    }

    @Test func unknownTestLabelsAreAppended() {
        let m = ClassificationMetrics(sections: ["a", "b"], pairs: [("1", "z", "a")])
        #expect(m.sections == ["a", "b", "z"] && m.perSection[2].support == 1)
    }

    @Test func stratifiedFoldsAreBalancedAndSeeded() {
        let labels = Array(repeating: "big", count: 50) + Array(repeating: "small", count: 7)
        let folds = StratifiedFolds.assign(labels: labels, folds: 5, seed: 1)
        for f in 0..<5 {
            let big = (0..<50).filter { folds[$0] == f }.count
            let small = (50..<57).filter { folds[$0] == f }.count
            #expect(big == 10 && (1...2).contains(small))
        }
        #expect(folds == StratifiedFolds.assign(labels: labels, folds: 5, seed: 1))
        #expect(folds != StratifiedFolds.assign(labels: labels, folds: 5, seed: 2))
    }

    @Test func holdoutIsStratifiedAndSeeded() {
        let labels = Array(repeating: "a", count: 40) + Array(repeating: "b", count: 10) + ["c"]
        let held = StratifiedHoldout.select(labels: labels, fraction: 0.1, seed: 3)
        #expect((0..<40).filter { held[$0] }.count == 4)
        #expect((40..<50).filter { held[$0] }.count == 1)
        #expect(!held[50], "a section with one article keeps it for training")
        #expect(held == StratifiedHoldout.select(labels: labels, fraction: 0.1, seed: 3))
    }

    @Test func meanAndSampleDeviation() {
        let m = MeanAndDeviation([1, 2, 3, 4])
        #expect(m.mean == 2.5 && isClose(m.standardDeviation, (5.0 / 3.0).squareRoot()))
    }
}
