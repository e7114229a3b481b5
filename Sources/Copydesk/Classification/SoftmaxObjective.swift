import Foundation

/// The L2-regularised multinomial logistic loss of scikit-learn's `LogisticRegression` (lbfgs):
///
///     f(W, b) = (1/S) Σᵢ sᵢ · [ log Σ_c exp(zᵢc) − zᵢ,yᵢ ]  +  ‖W‖² / (2·C·S),   zᵢ = xᵢ·W + b
///
/// with `sᵢ` the sample weight (1, or `n / (K · n_yᵢ)` for balanced class weights), `S = Σ sᵢ`,
/// `W` the `d × K` coefficients (row-major, one row per feature) and `b` the unpenalised intercepts.
/// Its minimiser is that of `C · Σ sᵢ ℓᵢ + ½‖W‖²`, scikit-learn's objective; dividing by `S` keeps
/// the gradient tolerance independent of corpus size, as scikit-learn does.
///
///     ∂f/∂W = Xᵀ G + W / (C·S),   ∂f/∂b = Σᵢ Gᵢ,   Gᵢc = sᵢ (softmax(zᵢ)_c − [c = yᵢ]) / S
///
/// The log-sum-exp subtracts the row maximum first. `X·W` runs over row blocks and `Xᵀ·G` over
/// feature blocks of the transpose, so each output element is summed in one fixed order and the
/// result does not depend on the thread count.
///
/// - Complexity: O(K · nnz(X)) per evaluation.
public final class SoftmaxObjective: Objective {
    let x: CSRMatrix
    let xt: CSRMatrix
    let labels: [Int32]
    let sampleWeights: [Double]
    let classes: Int
    let c: Double
    let fitIntercept: Bool
    let threads: Int
    let weightSum: Double
    private var scores: [Double]
    private var rowLoss: [Double]

    public var dimension: Int { (x.columns + (fitIntercept ? 1 : 0)) * classes }

    public init(x: CSRMatrix, labels: [Int32], classes: Int, sampleWeights: [Double]? = nil,
                c: Double, fitIntercept: Bool = true, threads: Int = 1) {
        precondition(labels.count == x.rows && labels.allSatisfy { $0 >= 0 && Int($0) < classes })
        self.x = x
        xt = x.transposed()
        self.labels = labels
        self.sampleWeights = sampleWeights ?? [Double](repeating: 1, count: x.rows)
        self.classes = classes
        self.c = c
        self.fitIntercept = fitIntercept
        self.threads = threads
        weightSum = self.sampleWeights.reduce(0, +)
        scores = [Double](repeating: 0, count: x.rows * classes)
        rowLoss = [Double](repeating: 0, count: x.rows)
    }

    public func evaluate(_ w: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = classes, d = x.columns, n = x.rows
        guard let wp = w.baseAddress, let gp = g.baseAddress else { return 0 }
        let invS = 1 / weightSum
        let bias = fitIntercept ? UncheckedPointer(wp + d * k) : nil
        let weights = UncheckedPointer(wp), matrix = x
        scores.withUnsafeMutableBufferPointer { z in
            let zp = UncheckedMutablePointer(z.baseAddress!)
            rowLoss.withUnsafeMutableBufferPointer { lossBuffer in
                let lp = UncheckedMutablePointer(lossBuffer.baseAddress!)
                labels.withUnsafeBufferPointer { yb in
                    sampleWeights.withUnsafeBufferPointer { sb in
                        let y = UncheckedPointer(yb.baseAddress!), s = UncheckedPointer(sb.baseAddress!)
                        // Scores, then in place the loss gradient per row.
                        ParallelBlocks(count: n, threads: threads).run { range in
                            matrix.multiply(rows: range, weights.pointer, k: k, into: zp.pointer)
                            for i in range {
                                let row = zp.pointer + i * k
                                if let bias { for cl in 0..<k { row[cl] += bias.pointer[cl] } }
                                lp.pointer[i] = SoftmaxObjective.residual(row, k: k, label: Int(y.pointer[i]),
                                                                          weight: s.pointer[i], invS: invS)
                            }
                        }
                    }
                }
            }
            // ∂f/∂W = Xᵀ G + W / (C S), over feature blocks of Xᵀ.
            xt.multiply(UnsafePointer(z.baseAddress!), k: k, into: gp, threads: threads)
            BLAS.axpy(d * k, invS / c, wp, gp)
            if fitIntercept {
                let gb = gp + d * k
                for cl in 0..<k { gb[cl] = 0 }
                for i in 0..<n { BLAS.axpy(k, 1, z.baseAddress! + i * k, gb) }
            }
        }
        var loss = 0.0
        for v in rowLoss { loss += v }
        let penalty = BLAS.dot(d * k, wp, wp) / (2 * c * weightSum)
        return loss * invS + penalty
    }

    /// Turns the scores `z` of one row into its loss gradient `s·(softmax(z) − e_y)/S` in place and
    /// returns the row's weighted loss `s·(log Σ_c exp(z_c) − z_y)`, subtracting the row maximum first.
    @inline(__always)
    static func residual(_ row: UnsafeMutablePointer<Double>, k: Int, label: Int, weight: Double,
                         invS: Double) -> Double {
        var m = -Double.infinity
        for cl in 0..<k where row[cl] > m { m = row[cl] }
        let shiftedTrue = row[label] - m
        var sum = 0.0
        for cl in 0..<k { row[cl] = exp(row[cl] - m); sum += row[cl] }
        // log Σ_c exp(z_c) − z_y  =  log Σ_c exp(z_c − m) − (z_y − m)
        let loss = weight * (log(sum) - shiftedTrue)
        let scale = weight * invS / sum
        for cl in 0..<k { row[cl] *= scale }
        row[label] -= weight * invS
        return loss
    }
}
