import Testing
@testable import Copydesk

/// The isotonic map of the calibration: pool-adjacent-violators against a hand-worked case, and the
/// adjusted probabilities keep their sum and their winner.
@Suite struct IsotonicMapTests {
    @Test func poolsAdjacentViolators() throws {
        // Sorted by input: right, wrong, right, right, wrong, right. The second and third inputs
        // violate the order (1 then 0) and are pooled with the first, then the fifth with the fourth.
        let inputs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
        let right = [true, false, true, true, false, true]
        let map = try #require(IsotonicMap.fit(inputs, right))
        // By hand: {0.1, 0.2} pool to 1/2; 1 at 0.3 and 1 at 0.4 stay; 0 at 0.5 pools with 0.4
        // (1/2), which then pools with 0.3 (2/3 above 1/2, kept); 1 at 0.6 stays.
        #expect(map.x.count == 3)
        let expectedX = [0.15, 0.4, 0.6], expectedY = [0.5, 2.0 / 3.0, 1.0]
        for k in 0..<3 {
            #expect(abs(map.x[k] - expectedX[k]) < 1e-12 && abs(map.y[k] - expectedY[k]) < 1e-12, "block \(k)")
        }
        // Linear between the blocks' means, from 0 below the first, flat above the last.
        #expect(abs(map.value(at: 0.45) - 0.75) < 1e-12)
        #expect(abs(map.value(at: 0.075) - 0.25) < 1e-12 && map.value(at: 0.99) == 1)
        for (a, b) in zip(map.y, map.y.dropFirst()) { #expect(a <= b) }
    }

    @Test func tooFewBlocksGiveNoMap() {
        #expect(IsotonicMap.fit([0.5], [true]) == nil)
        #expect(IsotonicMap.fit([0.9, 0.8, 0.7], [false, true, true]) == nil, "one pooled block")
    }

    @Test func adjustedProbabilitiesKeepTheirSumAndWinner() {
        let map = IsotonicMap(x: [0.3, 0.9], y: [0.2, 0.7])
        let calibration = Calibration(temperature: 1, folds: 3, articles: 10, eceBefore: 0, eceAfter: 0, logLossBefore: 0,
                                      logLossAfter: 0, reliabilityBefore: [], reliabilityAfter: [], topMap: map)
        for p in [[0.9, 0.05, 0.05], [0.5, 0.3, 0.2], [0.4, 0.35, 0.25], [0.34, 0.33, 0.33], [1.0, 0, 0]] {
            let q = calibration.adjusted(p)
            #expect(abs(q.reduce(0, +) - 1) < 1e-12, "\(p) → \(q)")
            #expect(SectionClassifier.best(q) == SectionClassifier.best(p), "\(p) → \(q)")
            // The others keep their proportions.
            if p[1] > 0 { #expect(abs(q[2] / q[1] - p[2] / p[1]) < 1e-12) }
        }
        // 0.9 reads as 0.7; 0.4 is lowered towards the map but stays ahead of 0.35.
        #expect(abs(calibration.adjusted([0.9, 0.05, 0.05])[0] - 0.7) < 1e-12)
        let close = calibration.adjusted([0.4, 0.35, 0.25])
        #expect(close[0] >= close[1])
    }
}
