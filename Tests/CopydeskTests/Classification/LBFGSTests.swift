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
    /// Steps of a quasi-Newton run on a quadratic with a diagonal Hessian: after every pair (and past
    /// the memory, when the slots wrap around), the compact-form direction with derived inner
    /// products equals the two-loop recursion's. Debug builds also check every derived product.
    @Test func compactFormEqualsTwoLoopRecursion() throws {
        var rng = SplitMix64(seed: 12)
        let n = 40
        let diagonal = (0..<n).map { 1 + Double($0 % 7) }
        for memory in [1, 3, 5] {
            var h = PairHistory(memory: memory, dimension: n)
            var g = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            var d = [Double](repeating: 0, count: n)
            for step in 0..<(memory + 4) {
                try h.direction(for: g, into: &d)
                let reference = h.twoLoopDirection(for: g)
                for i in 0..<n { #expect(isClose(d[i], reference[i], absolute: 1e-10, relative: 1e-8), "memory \(memory), step \(step), i \(i)") }
                // Step t along d; the gradient of ½xᵀAx + bᵀx changes by A·s.
                let t = Double.random(in: 0.2...1.0, using: &rng)
                let yv = (0..<n).map { diagonal[$0] * t * d[$0] }
                let gNew = (0..<n).map { g[$0] + yv[$0] }
                h.push(step: t, direction: d, y: yv, newGradient: gNew)
                g = gNew
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
