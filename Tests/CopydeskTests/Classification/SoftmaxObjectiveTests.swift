import Testing
@testable import Copydesk

@Suite struct SoftmaxObjectiveTests {
    func problem(seed: UInt64, intercept: Bool = true, weights: Bool = false, threads: Int = 1, rows: Int = 60) -> SoftmaxObjective {
        let x = randomCSR(rows: rows, columns: 15, density: 0.3, seed: seed)
        var g = SplitMix64(seed: seed + 1)
        let labels = (0..<rows).map { _ in Int32.random(in: 0..<4, using: &g) }
        let sw = weights ? (0..<rows).map { _ in Double.random(in: 0.5...2, using: &g) } : nil
        return SoftmaxObjective(x: x, labels: labels, classes: 4, sampleWeights: sw, c: 3, fitIntercept: intercept, threads: threads)
    }

    func evaluate(_ o: SoftmaxObjective, _ w: [Double]) -> (Double, [Double]) {
        var g = [Double](repeating: 0, count: w.count)
        let f = w.withUnsafeBufferPointer { wp in g.withUnsafeMutableBufferPointer { o.evaluate(wp, gradient: $0) } }
        return (f, g)
    }

    @Test(arguments: [(true, false), (false, false), (true, true)])
    func gradientMatchesCentralDifferences(intercept: Bool, weights: Bool) {
        let o = problem(seed: 17, intercept: intercept, weights: weights)
        var r = SplitMix64(seed: 99)
        let w = (0..<o.dimension).map { _ in Double.random(in: -2...2, using: &r) }
        let (_, g) = evaluate(o, w)
        let h = 1e-6
        for i in 0..<o.dimension {
            var plus = w, minus = w
            plus[i] += h
            minus[i] -= h
            let numeric = (evaluate(o, plus).0 - evaluate(o, minus).0) / (2 * h)
            #expect(isClose(g[i], numeric, absolute: 1e-7, relative: 1e-5), "component \(i)")
        }
    }

    @Test func valueAtZeroIsLogK() {
        let o = problem(seed: 3)
        let (f, _) = evaluate(o, [Double](repeating: 0, count: o.dimension))
        #expect(isClose(f, log(4.0), absolute: 1e-12))
    }

    @Test func hugeScoresStayFinite() {
        let o = problem(seed: 5)
        let w = [Double](repeating: 1e4, count: o.dimension).enumerated().map { $0.offset % 2 == 0 ? $0.element : -$0.element }
        let (f, g) = evaluate(o, w)
        #expect(f.isFinite && g.allSatisfy(\.isFinite))
    }

    /// 300 rows make two blocks of the row loop (60 would stay in one, and prove nothing).
    @Test func threadCountDoesNotChangeABit() {
        #expect(ParallelBlocks(count: 300, threads: 2).ranges.count == 2)
        #expect(ParallelBlocks(count: 60, threads: 2).ranges.count == 1)
        let one = problem(seed: 21, threads: 1, rows: 300), two = problem(seed: 21, threads: 2, rows: 300)
        var r = SplitMix64(seed: 1)
        let w = (0..<one.dimension).map { _ in Double.random(in: -1...1, using: &r) }
        let (f1, g1) = evaluate(one, w), (f2, g2) = evaluate(two, w)
        #expect(f1.bitPattern == f2.bitPattern)
        #expect(g1.map(\.bitPattern) == g2.map(\.bitPattern))
    }
}

import Foundation
