import Foundation

/// Minimises ``SoftmaxObjective``'s loss by L-BFGS carried out in the row space of `X`.
///
/// The penalty is `‖W‖²` and every gradient `Xᵀ G + W/(C·S)` lies in the span of the documents, so
/// from `W = 0` every L-BFGS iterate, gradient, step and difference has the form `Xᵀ A` for an
/// `n × k` matrix `A` (the representer theorem). The solver keeps each such vector as its
/// coefficients `A` and its image `X Xᵀ A` — the change it makes to the scores — plus the `k`
/// intercept entries, which are their own image. Inner products are `⟨Xᵀ A, Xᵀ B⟩ = ⟨A, X Xᵀ B⟩`, so
/// the L-BFGS recursion is the same as ``LBFGS`` on `W` (same iterates, up to rounding), while
/// every vector has `n·k` entries instead of `d·k` (226,280 instead of 7.3 million on
/// 20 Newsgroups with bigrams). Two consequences:
///
/// - the history of `m` pairs (and one free slot) takes `4·(m + 1)·n·k` doubles, independent of the
///   vocabulary;
/// - a trial step's scores are `Z + t·(image of the direction)`, so the line search needs no pass
///   over the data. Each iteration makes one pass, ``GramOperator/gram(_:k:into:scratch:threads:)``,
///   for the new gradient's image and its `‖·‖∞` (the stopping test, in `W`'s coordinates).
///
/// The step rule, the stopping tests and the pair-skipping rule are those of ``LBFGS``. The
/// coefficients `W = Xᵀ A` are formed once at the end.
struct RowSpaceSoftmaxSolver {
    let gram: GramOperator
    let labels: [Int32]
    let sampleWeights: [Double]
    let classes: Int
    let c: Double
    let fitIntercept: Bool
    let threads: Int
    let settings: LBFGS

    init(x: CSRMatrix, labels: [Int32], classes: Int, sampleWeights: [Double]? = nil, c: Double,
         fitIntercept: Bool = true, threads: Int = 1, settings: LBFGS = LBFGS()) {
        precondition(labels.count == x.rows && labels.allSatisfy { $0 >= 0 && Int($0) < classes })
        gram = GramOperator(x)
        self.labels = labels
        self.sampleWeights = sampleWeights ?? [Double](repeating: 1, count: x.rows)
        self.classes = classes
        self.c = c
        self.fitIntercept = fitIntercept
        self.threads = threads
        self.settings = settings
    }

    /// A vector `(Xᵀ A, b)` kept as `coefficients = [A | b]` and `image = [X Xᵀ A | b]`.
    struct Vector {
        var coefficients: [Double]
        var image: [Double]
        init(count: Int) {
            coefficients = [Double](repeating: 0, count: count)
            image = coefficients
        }
    }

    /// The fitted `d × k` coefficients (row-major) and `k` intercepts, with the optimizer's report.
    func minimize(progress: ((Int, Double, Double) -> Void)? = nil) throws
        -> (coefficients: [Double], intercepts: [Double], report: OptimizerReport)
    {
        let n = gram.documents, k = classes, nk = n * k
        let length = nk + (fitIntercept ? k : 0)
        let weightSum = sampleWeights.reduce(0, +)
        let invS = 1 / weightSum, penalty = 1 / (c * weightSum)
        var scratch = [Double](repeating: 0, count: gram.scratchCount(k: k))
        var residual = [Double](repeating: 0, count: nk)
        var rowLoss = [Double](repeating: 0, count: n)

        /// Loss at the point whose scores are `base + t·step` (images, bias included); leaves the
        /// residuals `G` in `residual`. The penalty is added by the caller.
        func dataLoss(_ base: Vector, _ step: Vector, _ t: Double) -> Double {
            residual.withUnsafeMutableBufferPointer { rb in
                rowLoss.withUnsafeMutableBufferPointer { lb in
                    base.image.withUnsafeBufferPointer { zb in
                        step.image.withUnsafeBufferPointer { db in
                            labels.withUnsafeBufferPointer { yb in
                                sampleWeights.withUnsafeBufferPointer { wb in
                                    let r = UncheckedMutablePointer(rb.baseAddress!), l = UncheckedMutablePointer(lb.baseAddress!)
                                    let z = UncheckedPointer(zb.baseAddress!), dz = UncheckedPointer(db.baseAddress!)
                                    let y = UncheckedPointer(yb.baseAddress!), w = UncheckedPointer(wb.baseAddress!)
                                    let fit = fitIntercept
                                    ParallelBlocks(count: n, threads: threads).run { rows in
                                        for i in rows {
                                            let row = r.pointer + i * k, zi = z.pointer + i * k, di = dz.pointer + i * k
                                            for cl in 0..<k { row[cl] = zi[cl] + t * di[cl] }
                                            if fit {
                                                for cl in 0..<k { row[cl] += z.pointer[nk + cl] + t * dz.pointer[nk + cl] }
                                            }
                                            l.pointer[i] = SoftmaxObjective.residual(row, k: k, label: Int(y.pointer[i]),
                                                                                      weight: w.pointer[i], invS: invS)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var sum = 0.0
            for v in rowLoss { sum += v }
            return sum * invS
        }

        /// The gradient at `point` from the residuals in `residual`; returns `‖∇f‖∞` in `W`'s coordinates.
        func gradient(at point: Vector, into g: inout Vector) -> Double {
            for e in 0..<nk { g.coefficients[e] = residual[e] + penalty * point.coefficients[e] }
            var largest = 0.0
            if fitIntercept {
                for cl in 0..<k { g.coefficients[nk + cl] = 0 }
                for i in 0..<n { for cl in 0..<k { g.coefficients[nk + cl] += residual[i * k + cl] } }
                for cl in 0..<k {
                    g.image[nk + cl] = g.coefficients[nk + cl]
                    largest = max(largest, abs(g.coefficients[nk + cl]))
                }
            }
            let gramMax = g.coefficients.withUnsafeBufferPointer { gc in
                g.image.withUnsafeMutableBufferPointer { gi in
                    scratch.withUnsafeMutableBufferPointer { s in
                        gram.gram(gc.baseAddress!, k: k, into: gi.baseAddress!, scratch: s.baseAddress!, threads: threads)
                    }
                }
            }
            return max(largest, gramMax)
        }

        /// `‖W‖² = ⟨A, X Xᵀ A⟩` and its cross terms, over the first `n·k` entries.
        func inner(_ u: Vector, _ v: Vector, count: Int) -> Double {
            BLAS.dot(count, u.coefficients, v.image)
        }

        var x = Vector(count: length)
        var g = Vector(count: length), gNew = Vector(count: length), d = Vector(count: length)
        var xNew = Vector(count: length)
        var f = dataLoss(x, d, 0)
        var gNorm = gradient(at: x, into: &g)
        var evaluations = 1
        var history = RowSpacePairs(memory: settings.memory, length: length, threads: threads)
        var iteration = 0
        var reason = StopReason.maxIterations
        if gNorm <= settings.tolerance { reason = .gradientTolerance }

        while reason == .maxIterations && iteration < settings.maxIterations {
            iteration += 1
            try history.direction(for: g, into: &d)
            var slope = inner(d, g, count: length)
            if !(slope < 0) {
                history.clear()
                for e in 0..<length { d.coefficients[e] = -g.coefficients[e]; d.image[e] = -g.image[e] }
                slope = inner(d, g, count: length)
            }
            var t = history.isEmpty ? min(1, 1 / max(inner(g, g, count: length).squareRoot(), 1e-300)) : 1
            // ‖W + t·D‖² = aa + 2t·ad + t²·dd.
            let aa = inner(x, x, count: nk), ad = inner(x, d, count: nk), dd = inner(d, d, count: nk)
            var fNew = 0.0
            var accepted = false
            for _ in 0..<40 {
                fNew = dataLoss(x, d, t) + penalty * (aa + 2 * t * ad + t * t * dd) / 2
                evaluations += 1
                if fNew <= f + 1e-4 * t * slope { accepted = true; break }
                let quadratic = -slope * t * t / (2 * (fNew - f - slope * t))
                t = quadratic.isFinite ? min(max(quadratic, 0.1 * t), 0.5 * t) : 0.5 * t
            }
            guard accepted else { reason = .lineSearchFailed; break }
            for e in 0..<length {
                xNew.coefficients[e] = x.coefficients[e] + t * d.coefficients[e]
                xNew.image[e] = x.image[e] + t * d.image[e]
            }
            gNorm = gradient(at: xNew, into: &gNew)
            history.push(step: t, direction: d, from: g, to: gNew)
            swap(&x, &xNew)
            swap(&g, &gNew)
            let decrease = (f - fNew) / max(abs(f), abs(fNew), 1)
            f = fNew
            progress?(iteration, f, gNorm)
            if gNorm <= settings.tolerance { reason = .gradientTolerance }
            else if decrease <= settings.functionTolerance { reason = .functionTolerance }
        }
        let report = OptimizerReport(iterations: iteration, evaluations: evaluations, value: f,
                                     gradientNorm: gNorm, stopReason: reason)
        let coefficients = x.coefficients.withUnsafeBufferPointer { gram.coefficients($0.baseAddress!, k: k, threads: threads) }
        let intercepts = fitIntercept ? Array(x.coefficients[nk...]) : [Double](repeating: 0, count: k)
        return (coefficients, intercepts, report)
    }
}

/// The correction pairs of ``RowSpaceSoftmaxSolver``: `s` and `y` as coefficients and images, with
/// the compact-form direction of ``PairHistory``.
///
/// As in ``PairHistory``, an iteration makes six passes over the stored pairs: `Sᵀg` and `Yᵀg` for
/// the new gradient, kept for the next direction, and four for the direction's coefficients and
/// image. The new pair's inner products with the stored ones are derived from those products and
/// the last direction's coefficients. Each pass is a BLAS `dgemv` per fixed column chunk, run on up
/// to `threads` threads; partial sums are added in chunk order, so the thread count changes nothing.
struct RowSpacePairs {
    typealias Vector = RowSpaceSoftmaxSolver.Vector
    let memory: Int
    let length: Int
    let threads: Int
    /// `(memory + 1) × length`, row-major: the stored pairs and one free slot for the next pair.
    private var sCoefficients: [Double], sImages: [Double]
    private var yCoefficients: [Double], yImages: [Double]
    private(set) var order: [Int] = []
    private var free: Int
    /// `sy[i * slots + j] = s_iᵀ y_j`, `yy[i * slots + j] = y_iᵀ y_j` over slots.
    private var sy: [Double], yy: [Double]
    /// `Sᵀg`, `Yᵀg` over slots for the current gradient, when `haveProducts`.
    private var p: [Double], q: [Double]
    private var haveProducts = false
    /// The last direction `d = −γ g + S·cs + Y·cy`.
    private var lastGamma = 1.0
    private var lastCS: [Double], lastCY: [Double]
    private let chunks: [Range<Int>]

    var slots: Int { memory + 1 }

    init(memory: Int, length: Int, threads: Int = 1) {
        self.memory = max(1, memory)
        self.length = length
        self.threads = threads
        let slots = self.memory + 1
        sCoefficients = [Double](repeating: 0, count: slots * length)
        sImages = sCoefficients
        yCoefficients = sCoefficients
        yImages = sCoefficients
        free = 0
        sy = [Double](repeating: 0, count: slots * slots)
        yy = sy
        p = [Double](repeating: 0, count: slots)
        q = p
        lastCS = p
        lastCY = p
        let pieces = 4
        chunks = (0..<pieces).map { (length * $0 / pieces)..<(length * ($0 + 1) / pieces) }
    }

    var isEmpty: Bool { order.isEmpty }

    mutating func clear() {
        order.removeAll()
        free = 0
        haveProducts = false
    }

    /// `M v` for a stacked `slots × length` matrix `M`: per column chunk, then summed in chunk order.
    private func products(_ stacked: [Double], _ v: [Double]) -> [Double] {
        let rows = slots, n = length
        let partial = PartResults<[Double]>(count: chunks.count)
        let chunks = self.chunks
        stacked.withUnsafeBufferPointer { mb in
            v.withUnsafeBufferPointer { vb in
                let m = UncheckedPointer(mb.baseAddress!), x = UncheckedPointer(vb.baseAddress!)
                ParallelBlocks.forEach(chunks.count, threads: threads) { c in
                    let r = chunks[c]
                    var out = [Double](repeating: 0, count: rows)
                    if !r.isEmpty {
                        BLAS.gemv(transpose: false, rows: rows, columns: r.count, alpha: 1, m.pointer + r.lowerBound,
                                  lda: n, x.pointer + r.lowerBound, beta: 0, &out)
                    }
                    partial.set(c, out)
                }
            }
        }
        let parts = partial.values
        var sum = parts[0]
        for c in 1..<parts.count { for i in 0..<rows { sum[i] += parts[c][i] } }
        return sum
    }

    /// `out += Mᵀ w` for a stacked `slots × length` matrix `M`, column chunks in parallel.
    private func combine(_ stacked: [Double], _ weights: [Double], into out: inout [Double]) {
        let rows = slots, n = length, chunks = self.chunks
        stacked.withUnsafeBufferPointer { mb in
            weights.withUnsafeBufferPointer { wb in
                out.withUnsafeMutableBufferPointer { ob in
                    let m = UncheckedPointer(mb.baseAddress!), w = UncheckedPointer(wb.baseAddress!)
                    let o = UncheckedMutablePointer(ob.baseAddress!)
                    ParallelBlocks.forEach(chunks.count, threads: threads) { c in
                        let r = chunks[c]
                        guard !r.isEmpty else { return }
                        BLAS.gemv(transpose: true, rows: rows, columns: r.count, alpha: 1, m.pointer + r.lowerBound,
                                  lda: n, w.pointer, beta: 1, o.pointer + r.lowerBound)
                    }
                }
            }
        }
    }

    /// Stores `s = t·d`, `y = g₊ − g` after a step of length `t` along the last ``direction(for:into:)``;
    /// drops the oldest pair when full; skips a pair without positive curvature, as ``PairHistory`` does.
    mutating func push(step t: Double, direction d: Vector, from g: Vector, to gNew: Vector) {
        let n = length, k = slots, slot = free
        let base = slot * n
        for e in 0..<n {
            sCoefficients[base + e] = t * d.coefficients[e]
            sImages[base + e] = t * d.image[e]
            yCoefficients[base + e] = gNew.coefficients[e] - g.coefficients[e]
            yImages[base + e] = gNew.image[e] - g.image[e]
        }
        let (curvature, yNorm2) = sCoefficients.withUnsafeBufferPointer { sc in
            yCoefficients.withUnsafeBufferPointer { yc in
                yImages.withUnsafeBufferPointer { yi in
                    (BLAS.dot(n, sc.baseAddress! + base, yi.baseAddress! + base),
                     BLAS.dot(n, yc.baseAddress! + base, yi.baseAddress! + base))
                }
            }
        }
        guard curvature > 1e-10 * yNorm2, yNorm2 > 0 else { haveProducts = false; return }
        let old = order
        let pOld = p, qOld = q
        if order.count == memory {
            free = order.removeFirst()
            order.append(slot)
        } else {
            order.append(slot)
            free = (0..<slots).first { !order.contains($0) } ?? 0
        }
        p = products(sCoefficients, gNew.image)
        q = products(yCoefficients, gNew.image)
        haveProducts = true
        for j in old where order.contains(j) {
            // y₊ᵀ s_j = (g₊ − g)ᵀ s_j, y₊ᵀ y_j likewise; s₊ᵀ y_j = t·dᵀ y_j from the direction's coefficients.
            var dy = -lastGamma * qOld[j]
            for i in old { dy += lastCS[i] * sy[i * k + j] + lastCY[i] * yy[i * k + j] }
            sy[slot * k + j] = t * dy
            sy[j * k + slot] = p[j] - pOld[j]
            yy[slot * k + j] = q[j] - qOld[j]
            yy[j * k + slot] = q[j] - qOld[j]
        }
        sy[slot * k + slot] = curvature
        yy[slot * k + slot] = yNorm2
        #if DEBUG
        checkProducts(gNew)
        #endif
    }

    #if DEBUG
    /// Recomputes every derived inner product directly (debug builds only).
    private func checkProducts(_ g: Vector) {
        let n = length, k = slots
        func row(_ a: [Double], _ i: Int) -> ArraySlice<Double> { a[(i * n)..<((i + 1) * n)] }
        func dot(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in BLAS.dot(n, x.baseAddress!, y.baseAddress!) } }
        }
        func close(_ a: Double, _ b: Double, _ scale: Double) -> Bool { abs(a - b) <= 1e-7 * scale + 1e-12 }
        for i in order {
            let gs = dot(g.coefficients[...], g.image[...]).squareRoot()
            let ss = dot(row(sCoefficients, i), row(sImages, i)).squareRoot()
            let ys = dot(row(yCoefficients, i), row(yImages, i)).squareRoot()
            assert(close(p[i], dot(row(sCoefficients, i), g.image[...]), gs * ss), "RowSpacePairs: Sᵀg drifted")
            assert(close(q[i], dot(row(yCoefficients, i), g.image[...]), gs * ys), "RowSpacePairs: Yᵀg drifted")
            for j in order {
                let yjs = dot(row(yCoefficients, j), row(yImages, j)).squareRoot()
                assert(close(sy[i * k + j], dot(row(sCoefficients, i), row(yImages, j)), ss * yjs), "RowSpacePairs: sᵢᵀyⱼ drifted")
                assert(close(yy[i * k + j], dot(row(yCoefficients, i), row(yImages, j)), ys * yjs), "RowSpacePairs: yᵢᵀyⱼ drifted")
            }
        }
    }
    #endif

    /// `d = −H g` (coefficients and image); `−g` with no pairs. `g` must be the gradient of the
    /// last ``push(step:direction:from:to:)`` (or the first one).
    mutating func direction(for g: Vector, into d: inout Vector) throws {
        let n = length
        guard !order.isEmpty else {
            for e in 0..<n { d.coefficients[e] = -g.coefficients[e]; d.image[e] = -g.image[e] }
            lastGamma = 1
            return
        }
        if !haveProducts {
            p = products(sCoefficients, g.image)
            q = products(yCoefficients, g.image)
            haveProducts = true
        }
        let (gamma, cs, cy) = try PairHistory.compactCoefficients(order: order, memory: slots, sy: sy, yy: yy, p: p, q: q)
        for e in 0..<n { d.coefficients[e] = -gamma * g.coefficients[e]; d.image[e] = -gamma * g.image[e] }
        combine(sCoefficients, cs, into: &d.coefficients)
        combine(sImages, cs, into: &d.image)
        combine(yCoefficients, cy, into: &d.coefficients)
        combine(yImages, cy, into: &d.image)
        lastGamma = gamma
        lastCS = cs
        lastCY = cy
    }
}
