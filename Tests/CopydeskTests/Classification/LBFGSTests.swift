import Testing
@testable import Copydesk

/// f(x) = ½ Σ aᵢ (xᵢ − bᵢ)², minimum at b.
struct Quadratic: Objective {
    var a: [Double]
    var b: [Double]
    var dimension: Int { a.count }
    func evaluate(_ w: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        var f = 0.0
        for i in a.indices {
            let d = w[i] - b[i]
            f += 0.5 * a[i] * d * d
            g[i] = a[i] * d
        }
        return f
    }
}

@Suite struct LBFGSTests {
    @Test func compactFormEqualsTwoLoopRecursion() throws {
        var g = SplitMix64(seed: 12)
        let n = 40
        for memory in [1, 3, 5] {
            var h = PairHistory(memory: memory, dimension: n)
            // More pairs than memory, so the oldest are overwritten and the slots wrap around.
            for _ in 0..<(memory + 3) {
                let s = (0..<n).map { _ in Double.random(in: -1...1, using: &g) }
                // y = A s with A symmetric positive definite (diagonal) keeps sᵀy > 0.
                let y = s.enumerated().map { $0.element * (1 + Double($0.offset % 7)) }
                h.push(s: s, y: y)
                let grad = (0..<n).map { _ in Double.random(in: -1...1, using: &g) }
                var d = [Double](repeating: 0, count: n)
                try h.direction(for: grad, into: &d)
                let reference = h.twoLoopDirection(for: grad)
                for i in 0..<n { #expect(isClose(d[i], reference[i], absolute: 1e-10, relative: 1e-8), "memory \(memory), i \(i)") }
            }
        }
    }

    @Test func minimisesAnIllConditionedQuadratic() throws {
        var q = Quadratic(a: (0..<50).map { pow(10, Double($0 % 5)) }, b: (0..<50).map { Double($0) / 10 })
        var x = [Double](repeating: 0, count: 50)
        let report = try LBFGS(tolerance: 1e-6).minimize(&q, from: &x)
        #expect(report.converged)
        #expect(report.gradientNorm <= 1e-6 || report.stopReason == .functionTolerance)
        for i in 0..<50 { #expect(isClose(x[i], q.b[i], absolute: 1e-6)) }
    }

    @Test func reportsNonConvergence() throws {
        var q = Quadratic(a: (0..<50).map { pow(10, Double($0 % 5)) }, b: (0..<50).map { Double($0) })
        var x = [Double](repeating: 0, count: 50)
        let report = try LBFGS(maxIterations: 2, tolerance: 1e-12).minimize(&q, from: &x)
        #expect(report.stopReason == .maxIterations && !report.converged && report.iterations == 2)
    }
}

import Foundation
