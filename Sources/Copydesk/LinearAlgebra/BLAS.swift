import CBLAS

/// Errors raised by the dense linear-algebra layer.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// A LAPACK routine returned a non-zero `info`.
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .lapack(routine, info):
            "LAPACK \(routine) failed with info = \(info)"
        }
    }
}

/// The only door to the system BLAS (Debian `libblas3`, or OpenBLAS through the alternatives system).
///
/// Every routine here has a plain-Swift twin in ``ReferenceLinearAlgebra`` that the tests compare
/// against. Vectors are contiguous (increment 1); matrices are row-major unless a routine says otherwise.
public enum BLAS {
    /// `xᵀy`.
    @inlinable
    public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(n), x, 1, y, 1)
    }

    /// `y ← a·x + y`.
    @inlinable
    public static func axpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(n), a, x, 1, y, 1)
    }

    /// `x ← a·x`.
    @inlinable
    public static func scale(_ n: Int, _ a: Double, _ x: UnsafeMutablePointer<Double>) {
        cblas_dscal(Int32(n), a, x, 1)
    }

    /// `‖x‖₂`, computed without overflow by the BLAS.
    @inlinable
    public static func norm2(_ n: Int, _ x: UnsafePointer<Double>) -> Double {
        cblas_dnrm2(Int32(n), x, 1)
    }

    /// `y ← x`.
    @inlinable
    public static func copy(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_dcopy(Int32(n), x, 1, y, 1)
    }

    /// `y ← α·op(A)·x + β·y` for a row-major `rows × columns` matrix `A` with leading dimension `lda`.
    @inlinable
    public static func gemv(
        transpose: Bool, rows: Int, columns: Int, alpha: Double,
        _ a: UnsafePointer<Double>, lda: Int, _ x: UnsafePointer<Double>,
        beta: Double, _ y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(
            CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
            alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// `C ← α·op(A)·op(B) + β·C`, all row-major; `op(A)` is `m × k`, `op(B)` is `k × n`.
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
        beta: Double, _ c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension BLAS {
    /// `C ← α·A·Aᵀ + β·C` for a row-major `n × k` matrix `A`, writing the upper triangle of the
    /// row-major `n × n` matrix `C` only (half the work of `gemm`).
    @inlinable
    public static func syrkUpper(
        n: Int, k: Int, alpha: Double, _ a: UnsafePointer<Double>, lda: Int,
        beta: Double, _ c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(k), alpha, a, Int32(lda), beta, c, Int32(ldc))
    }
}

extension Array where Element == Double {
    /// `‖self‖∞`, the stopping measure of the optimizers (as scipy's `pgtol`).
    func maxAbs() -> Double {
        var m = 0.0
        for v in self where abs(v) > m { m = abs(v) }
        return m
    }
}
