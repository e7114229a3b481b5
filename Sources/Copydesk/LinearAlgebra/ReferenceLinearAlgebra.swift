/// Plain-Swift loops with the same contracts as ``BLAS`` and ``LAPACK``. They are slow on purpose
/// (one obvious loop each) and exist so tests can check the fast paths against them.
public enum ReferenceLinearAlgebra {
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { s += x[i] * y[i] }
        return s
    }

    /// `y = α·op(A)·x + β·y`, `A` row-major `rows × columns`.
    public static func gemv(transpose: Bool, rows: Int, columns: Int, alpha: Double, _ a: [Double],
                            _ x: [Double], beta: Double, _ y: [Double]) -> [Double] {
        var out = y.map { $0 * beta }
        for r in 0..<rows {
            for c in 0..<columns {
                if transpose { out[c] += alpha * a[r * columns + c] * x[r] }
                else { out[r] += alpha * a[r * columns + c] * x[c] }
            }
        }
        return out
    }

    /// `C = A·B`, row-major, `A` is `m × k`, `B` is `k × n`.
    public static func matmul(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for l in 0..<k { c[i * n + j] += a[i * k + l] * b[l * n + j] } } }
        return c
    }

    /// Back/forward substitution for `op(A)·x = b`, `A` triangular, column-major.
    public static func triangularSolve(upper: Bool, transpose: Bool, n: Int, _ a: [Double], _ b: [Double]) -> [Double] {
        // Element (i, j) of op(A).
        func at(_ i: Int, _ j: Int) -> Double { transpose ? a[i * n + j] : a[j * n + i] }
        let effectivelyUpper = upper != transpose
        var x = b
        if effectivelyUpper {
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = x[i]
                for j in (i + 1)..<max(n, i + 1) { s -= at(i, j) * x[j] }
                x[i] = s / at(i, i)
            }
        } else {
            for i in 0..<n {
                var s = x[i]
                for j in 0..<i { s -= at(i, j) * x[j] }
                x[i] = s / at(i, i)
            }
        }
        return x
    }
}
