import Testing
@testable import Copydesk

@Suite struct BLASTests {
    func randomVector(_ n: Int, _ g: inout SplitMix64) -> [Double] { (0..<n).map { _ in Double.random(in: -1...1, using: &g) } }

    @Test(arguments: [1, 7, 64, 1000])
    func dotAndAxpyMatchReference(n: Int) {
        var g = SplitMix64(seed: UInt64(n))
        let x = randomVector(n, &g), y = randomVector(n, &g)
        #expect(isClose(BLAS.dot(n, x, y), ReferenceLinearAlgebra.dot(x, y), absolute: 1e-12))
        var z = y
        BLAS.axpy(n, 0.5, x, &z)
        for i in 0..<n { #expect(isClose(z[i], y[i] + 0.5 * x[i], absolute: 1e-15)) }
        #expect(isClose(BLAS.norm2(n, x), ReferenceLinearAlgebra.dot(x, x).squareRoot(), absolute: 1e-12))
    }

    @Test(arguments: [false, true])
    func gemvMatchesReference(transpose: Bool) {
        var g = SplitMix64(seed: 11)
        let rows = 9, columns = 13
        let a = randomVector(rows * columns, &g)
        let x = randomVector(transpose ? rows : columns, &g)
        let y0 = randomVector(transpose ? columns : rows, &g)
        var y = y0
        BLAS.gemv(transpose: transpose, rows: rows, columns: columns, alpha: 1.5, a, lda: columns, x, beta: -0.5, &y)
        let expected = ReferenceLinearAlgebra.gemv(transpose: transpose, rows: rows, columns: columns, alpha: 1.5, a, x, beta: -0.5, y0)
        for i in y.indices { #expect(isClose(y[i], expected[i], absolute: 1e-12)) }
    }

    @Test func gemmMatchesReference() {
        var g = SplitMix64(seed: 3)
        let m = 5, n = 4, k = 6
        let a = randomVector(m * k, &g), b = randomVector(k * n, &g)
        var c = [Double](repeating: 0, count: m * n)
        BLAS.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a, lda: k, b, ldb: n, beta: 0, &c, ldc: n)
        let expected = ReferenceLinearAlgebra.matmul(a, b, m: m, n: n, k: k)
        for i in c.indices { #expect(isClose(c[i], expected[i], absolute: 1e-12)) }
    }

    @Test func syrkUpperMatchesReference() {
        var g = SplitMix64(seed: 4)
        let n = 5, k = 7
        let a = randomVector(n * k, &g)
        var c = [Double](repeating: -7, count: n * n)
        BLAS.syrkUpper(n: n, k: k, alpha: 1, a, lda: k, beta: 0, &c, ldc: n)
        var at = [Double](repeating: 0, count: k * n)
        for i in 0..<n { for j in 0..<k { at[j * n + i] = a[i * k + j] } }
        let expected = ReferenceLinearAlgebra.matmul(a, at, m: n, n: n, k: k)
        for i in 0..<n {
            for j in 0..<n {
                // The upper triangle is A·Aᵀ; the strict lower one is left as it was.
                #expect(isClose(c[i * n + j], j >= i ? expected[i * n + j] : -7, absolute: 1e-12))
            }
        }
    }

    @Test(arguments: [(true, false), (true, true), (false, false), (false, true)])
    func triangularSolveMatchesSubstitution(upper: Bool, transpose: Bool) throws {
        var g = SplitMix64(seed: 5)
        let n = 6
        var a = [Double](repeating: 0, count: n * n)  // column-major
        for j in 0..<n { for i in 0..<n where upper ? i <= j : i >= j {
            a[j * n + i] = i == j ? 2 + Double.random(in: 0...1, using: &g) : Double.random(in: -1...1, using: &g)
        } }
        let b = randomVector(n, &g)
        var x = b
        try LAPACK.triangularSolve(upper: upper, transpose: transpose, n: n, a, &x)
        let expected = ReferenceLinearAlgebra.triangularSolve(upper: upper, transpose: transpose, n: n, a, b)
        for i in 0..<n { #expect(isClose(x[i], expected[i], absolute: 1e-12)) }
    }

    @Test func singularTriangularSolveThrows() {
        var b = [1.0, 2.0]
        #expect(throws: LinearAlgebraError.lapack(routine: "dtrtrs", info: 2)) {
            try LAPACK.triangularSolve(upper: true, transpose: false, n: 2, [1, 0, 1, 0], &b)
        }
    }

    @Test func symmetricEigenReconstructsTheMatrix() throws {
        let n = 4
        var g = SplitMix64(seed: 9)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { let v = Double.random(in: -1...1, using: &g); a[i * n + j] = v; a[j * n + i] = v } }
        let (values, vectors) = try LAPACK.symmetricEigen(a, n: n)
        #expect(values == values.sorted())
        // A·v = λ·v for every eigenpair (vectors are columns, column-major).
        for k in 0..<n {
            for i in 0..<n {
                var av = 0.0
                for j in 0..<n { av += a[i * n + j] * vectors[k * n + j] }
                #expect(isClose(av, values[k] * vectors[k * n + i], absolute: 1e-10))
            }
        }
    }
}
