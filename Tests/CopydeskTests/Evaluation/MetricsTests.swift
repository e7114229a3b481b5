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
        #expect(isClose(m.macroF1, (2.0 / 3.0 + 2.0 / 3.0) / 4))
        #expect(isClose(m.weightedF1, (3 * 2.0 / 3.0 + 2.0 / 3.0) / 5))
        #expect(m.confusion == [[2, 1, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]])
        #expect(m.mostConfused.map { "\($0.actual)>\($0.predicted):\($0.examples)" } == ["a>b:[\"3\"]", "c>a:[\"5\"]"])
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
