import CKernels
import Testing
@testable import Copydesk

@Suite struct RowSpaceSoftmaxSolverTests {
    struct Problem {
        let x: CSRMatrix
        let labels: [Int32]
        let weights: [Double]?
    }

    func problem(seed: UInt64, rows: Int = 80, columns: Int = 40, weights: Bool = false) -> Problem {
        let x = randomCSR(rows: rows, columns: columns, density: 0.2, seed: seed)
        var g = SplitMix64(seed: seed + 1)
        let labels = (0..<rows).map { _ in Int32.random(in: 0..<5, using: &g) }
        let sw = weights ? (0..<rows).map { _ in Double.random(in: 0.5...2, using: &g) } : nil
        return Problem(x: x, labels: labels, weights: sw)
    }

    @Test func gramEqualsDenseProductsAndReportsTheGradientNorm() {
        let x = randomCSR(rows: 70, columns: 300, density: 0.05, seed: 5)
        let k = 3
        var r = SplitMix64(seed: 8)
        let gamma = (0..<(70 * k)).map { _ in Double.random(in: -1...1, using: &r) }
        let dense = x.dense()
        // Xᵀ Γ, then X (Xᵀ Γ), by plain loops.
        var t = [Double](repeating: 0, count: 300 * k)
        for i in 0..<70 { for j in 0..<300 { for c in 0..<k { t[j * k + c] += dense[i * 300 + j] * gamma[i * k + c] } } }
        var expected = [Double](repeating: 0, count: 70 * k)
        for i in 0..<70 { for j in 0..<300 { for c in 0..<k { expected[i * k + c] += dense[i * 300 + j] * t[j * k + c] } } }
        let op = GramOperator(x)
        for threads in [1, 2, 3] {
            var out = [Double](repeating: .nan, count: 70 * k)
            var scratch = [Double](repeating: .nan, count: op.scratchCount(k: k))
            let largest = out.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { s in
                    op.gram(gamma, k: k, into: o.baseAddress!, scratch: s.baseAddress!, threads: threads)
                }
            }
            for e in expected.indices { #expect(isClose(out[e], expected[e], absolute: 1e-12, relative: 1e-12)) }
            #expect(isClose(largest, t.map(abs).max()!, absolute: 1e-14))
        }
        // Xᵀ A is the first half alone.
        let w = op.coefficients(gamma, k: k, threads: 2)
        for e in t.indices { #expect(isClose(w[e], t[e], absolute: 1e-12)) }
    }

    /// Class counts that use the C kernels (chunks of 8 and 4) and the Swift loop (remainders).
    @Test(arguments: [20, 12, 9, 4, 2])
    func gramWithManyClassesEqualsDenseProducts(k: Int) {
        let n = 90, d = 400
        let x = randomCSR(rows: n, columns: d, density: 0.03, seed: UInt64(k))
        var r = SplitMix64(seed: 77)
        let gamma = (0..<(n * k)).map { _ in Double.random(in: -1...1, using: &r) }
        let dense = x.dense()
        var t = [Double](repeating: 0, count: d * k)
        for i in 0..<n { for j in 0..<d where dense[i * d + j] != 0 { for c in 0..<k { t[j * k + c] += dense[i * d + j] * gamma[i * k + c] } } }
        var expected = [Double](repeating: 0, count: n * k)
        for i in 0..<n { for j in 0..<d where dense[i * d + j] != 0 { for c in 0..<k { expected[i * k + c] += dense[i * d + j] * t[j * k + c] } } }
        let op = GramOperator(x)
        var out = [Double](repeating: .nan, count: n * k)
        var scratch = [Double](repeating: .nan, count: op.scratchCount(k: k))
        let largest = out.withUnsafeMutableBufferPointer { o in
            scratch.withUnsafeMutableBufferPointer { s in op.gram(gamma, k: k, into: o.baseAddress!, scratch: s.baseAddress!, threads: 2) }
        }
        for e in expected.indices { #expect(isClose(out[e], expected[e], absolute: 1e-12, relative: 1e-12)) }
        #expect(isClose(largest, t.map(abs).max()!, absolute: 1e-13))
    }

    /// Both bodies of each C kernel (AVX2 + FMA where the processor has it, and the portable one).
    @Test(arguments: [4, 8])
    func kernelBodiesAgree(width: Int) {
        let n = 50, d = 120
        let x = randomCSR(rows: n, columns: d, density: 0.1, seed: 3).transposed()  // by columns
        var r = SplitMix64(seed: 5)
        let gamma = (0..<(n * width)).map { _ in Double.random(in: -1...1, using: &r) }
        func run(_ avx2: Int32) -> ([Double], Double) {
            var out = [Double](repeating: 0, count: n * width)
            let largest = x.rowOffsets.withUnsafeBufferPointer { o in
                out.withUnsafeMutableBufferPointer { ob in
                    copydesk_gram_chunk_variant(Int32(width), avx2, UnsafeRawPointer(o.baseAddress!).assumingMemoryBound(to: Int64.self),
                                                x.columnIndices, x.values, 0, Int64(d), gamma, ob.baseAddress!)
                }
            }
            return (out, largest)
        }
        let (a, la) = run(1), (b, lb) = run(0)
        for e in a.indices { #expect(isClose(a[e], b[e], absolute: 1e-13, relative: 1e-12)) }
        #expect(isClose(la, lb, absolute: 1e-14))
        // And the portable body against plain loops.
        var expected = [Double](repeating: 0, count: n * width)
        for j in 0..<d {
            var t = [Double](repeating: 0, count: width)
            for e in x.rowOffsets[j]..<x.rowOffsets[j + 1] { for c in 0..<width { t[c] += x.values[e] * gamma[Int(x.columnIndices[e]) * width + c] } }
            for e in x.rowOffsets[j]..<x.rowOffsets[j + 1] { for c in 0..<width { expected[Int(x.columnIndices[e]) * width + c] += x.values[e] * t[c] } }
        }
        for e in b.indices { #expect(isClose(b[e], expected[e], absolute: 1e-13, relative: 1e-12)) }
    }

    /// The row-space iteration is L-BFGS on W in other coordinates: same iterations, same result.
    @Test(arguments: [(true, false), (false, false), (true, true)])
    func matchesLBFGSOnTheCoefficients(intercept: Bool, weights: Bool) throws {
        let p = problem(seed: 21, weights: weights)
        let settings = LBFGS(memory: 5, tolerance: 1e-8)
        var objective = SoftmaxObjective(x: p.x, labels: p.labels, classes: 5, sampleWeights: p.weights, c: 4,
                                         fitIntercept: intercept)
        var w = [Double](repeating: 0, count: objective.dimension)
        let reference = try settings.minimize(&objective, from: &w)
        let solver = RowSpaceSoftmaxSolver(x: p.x, labels: p.labels, classes: 5, sampleWeights: p.weights, c: 4,
                                           fitIntercept: intercept, settings: settings)
        let fit = try solver.minimize()
        #expect(fit.report.iterations == reference.iterations)
        #expect(fit.report.stopReason == reference.stopReason)
        #expect(isClose(fit.report.value, reference.value, relative: 1e-10))
        let d = p.x.columns * 5
        for e in 0..<d { #expect(isClose(fit.coefficients[e], w[e], absolute: 1e-7)) }
        for c in 0..<5 { #expect(isClose(fit.intercepts[c], intercept ? w[d + c] : 0, absolute: 1e-7)) }
    }

    @Test func threadCountDoesNotChangeABit() throws {
        let p = problem(seed: 4, rows: 400, columns: 120)
        func fit(_ threads: Int) throws -> [Double] {
            let s = RowSpaceSoftmaxSolver(x: p.x, labels: p.labels, classes: 5, c: 10, threads: threads)
            let r = try s.minimize()
            return r.coefficients + r.intercepts
        }
        let one = try fit(1)
        #expect(try fit(2) == one)
        #expect(try fit(3) == one)
    }
}
