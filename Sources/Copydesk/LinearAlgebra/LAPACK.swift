import CBLAS

/// The Fortran LAPACK routines Copydesk calls. Matrices here are **column-major** (Fortran order).
public enum LAPACK {
    /// Solves `op(A)·X = B` for upper- or lower-triangular `A` (`n × n`, column-major) in place of `B`
    /// (`n × nrhs`, column-major). Fails with `info > 0` when `A` is singular.
    public static func triangularSolve(
        upper: Bool, transpose: Bool, n: Int, _ a: [Double], _ b: inout [Double], nrhs: Int = 1
    ) throws {
        precondition(a.count >= n * n && b.count >= n * nrhs, "triangularSolve: buffers too small")
        guard n > 0 else { return }
        var nn = Int32(n), nr = Int32(nrhs), lda = Int32(n), ldb = Int32(n), info: Int32 = 0
        let uplo: CChar = upper ? 85 : 76  // "U" : "L"
        let trans: CChar = transpose ? 84 : 78  // "T" : "N"
        var u = uplo, t = trans, d: CChar = 78  // diag = "N"
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                dtrtrs_(&u, &t, &d, &nn, &nr, ap.baseAddress, &lda, bp.baseAddress, &ldb, &info, 1, 1, 1)
            }
        }
        if info != 0 { throw LinearAlgebraError.lapack(routine: "dtrtrs", info: Int(info)) }
    }

    /// Eigen-decomposition of a symmetric `n × n` matrix (either triangle may be given; column-major
    /// and row-major coincide for symmetric input). Returns eigenvalues in ascending order and the
    /// eigenvectors as the columns of a column-major `n × n` matrix.
    public static func symmetricEigen(_ matrix: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n, "symmetricEigen: matrix must be n × n")
        guard n > 0 else { return ([], []) }
        var a = matrix
        var nn = Int32(n), lda = Int32(n), ldz = Int32(n)
        var vl = 0.0, vu = 0.0, il: Int32 = 0, iu: Int32 = 0, abstol = 0.0
        var m: Int32 = 0, info: Int32 = 0
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n * n)
        var isuppz = [Int32](repeating: 0, count: 2 * n)
        var jobz: CChar = 86, range: CChar = 65, uplo: CChar = 85  // "V", "A", "U"
        // Workspace query, then the real call.
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workSize = 0.0
        var iworkSize: Int32 = 0
        dsyevr_(&jobz, &range, &uplo, &nn, &a, &lda, &vl, &vu, &il, &iu, &abstol, &m, &w, &z, &ldz,
                &isuppz, &workSize, &lwork, &iworkSize, &liwork, &info, 1, 1, 1)
        if info != 0 { throw LinearAlgebraError.lapack(routine: "dsyevr", info: Int(info)) }
        lwork = Int32(workSize)
        liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevr_(&jobz, &range, &uplo, &nn, &a, &lda, &vl, &vu, &il, &iu, &abstol, &m, &w, &z, &ldz,
                &isuppz, &work, &lwork, &iwork, &liwork, &info, 1, 1, 1)
        if info != 0 { throw LinearAlgebraError.lapack(routine: "dsyevr", info: Int(info)) }
        return (w, z)
    }
}
