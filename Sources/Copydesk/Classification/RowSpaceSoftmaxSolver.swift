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
/// The loop, the line search and the stopping tests are ``LBFGS``'s own driver
/// (``LBFGS/run(_:progress:)``) over ``Search``; the pair-skipping rule is ``PairHistory``'s. The
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
        var search = Search(self)
        let report = try settings.run(&search, progress: progress)
        let n = gram.documents, k = classes, nk = n * k
        let x = search.x
        let coefficients = x.coefficients.withUnsafeBufferPointer { gram.coefficients($0.baseAddress!, k: k, threads: threads) }
        let intercepts = fitIntercept ? Array(x.coefficients[nk...]) : [Double](repeating: 0, count: k)
        return (coefficients, intercepts, report)
    }

    /// The L-BFGS search in the row space, for ``LBFGS/run(_:progress:)``. A trial step's loss
    /// comes from the scores `Z + t·(image of d)` and the penalty's quadratic in `t`, without a pass
    /// over the data; accepting a step makes the one pass, the new gradient's image.
    struct Search: LBFGSSearch {
        let problem: RowSpaceSoftmaxSolver
        let n: Int, k: Int, nk: Int, length: Int
        /// `1/S` and the penalty's factor `1/(C·S)`, with `S` the sum of the sample weights.
        let invS: Double, penalty: Double
        private(set) var x: Vector
        private var g: Vector, d: Vector, xNew: Vector, gNew: Vector
        private var history: RowSpacePairs
        /// The residuals `G` of the last loss evaluated, each row's loss, and the Gram pass's scratch.
        private let residual: FixedBuffer<Double>, rowLoss: FixedBuffer<Double>, scratch: FixedBuffer<Double>
        private let labels: FixedBuffer<Int32>, weights: FixedBuffer<Double>
        /// `‖W‖²`, `⟨W, D⟩`, `‖D‖²` for the current direction (``prepareSteps()``).
        private var aa = 0.0, ad = 0.0, dd = 0.0

        init(_ problem: RowSpaceSoftmaxSolver) {
            self.problem = problem
            n = problem.gram.documents
            k = problem.classes
            nk = n * k
            length = nk + (problem.fitIntercept ? k : 0)
            let weightSum = problem.sampleWeights.reduce(0, +)
            invS = 1 / weightSum
            penalty = 1 / (problem.c * weightSum)
            x = Vector(count: length)
            g = x
            d = x
            xNew = x
            gNew = x
            history = RowSpacePairs(memory: problem.settings.memory, length: length, threads: problem.threads)
            residual = FixedBuffer(repeating: 0, count: nk)
            rowLoss = FixedBuffer(repeating: 0, count: n)
            scratch = FixedBuffer(repeating: 0, count: problem.gram.scratchCount(k: k))
            labels = FixedBuffer(problem.labels)
            weights = FixedBuffer(problem.sampleWeights)
        }

        mutating func start() -> (value: Double, gradientNorm: Double) {
            let f = dataLoss(at: 0)
            return (f, gradient(at: x, into: &g))
        }

        var hasPairs: Bool { !history.isEmpty }

        mutating func setDirection() throws { try history.direction(for: g, into: &d) }

        mutating func restart() {
            history.clear()
            for e in 0..<length { d.coefficients[e] = -g.coefficients[e]; d.image[e] = -g.image[e] }
        }

        func slope() -> Double { inner(d, g, count: length) }

        func gradientNorm2() -> Double { inner(g, g, count: length).squareRoot() }

        /// `‖W + t·D‖² = aa + 2t·ad + t²·dd` over the coefficients (the intercepts are not penalised).
        mutating func prepareSteps() {
            aa = inner(x, x, count: nk)
            ad = inner(x, d, count: nk)
            dd = inner(d, d, count: nk)
        }

        mutating func value(step t: Double) -> Double {
            dataLoss(at: t) + penalty * (aa + 2 * t * ad + t * t * dd) / 2
        }

        mutating func accept(step t: Double) -> Double {
            for e in 0..<length {
                xNew.coefficients[e] = x.coefficients[e] + t * d.coefficients[e]
                xNew.image[e] = x.image[e] + t * d.image[e]
            }
            // The residuals are those of this step's loss, the last one evaluated.
            let gNorm = gradient(at: xNew, into: &gNew)
            history.push(step: t, direction: d, from: g, to: gNew)
            swap(&x, &xNew)
            swap(&g, &gNew)
            return gNorm
        }

        /// `⟨Xᵀ A, Xᵀ B⟩ = ⟨A, X Xᵀ B⟩` over the first `count` entries.
        private func inner(_ u: Vector, _ v: Vector, count: Int) -> Double {
            BLAS.dot(count, u.coefficients, v.image)
        }

        /// The data loss at the scores `Z + t·(image of d)`, intercepts included; leaves the
        /// residuals `G` in `residual` and each row's loss in `rowLoss`.
        private func dataLoss(at t: Double) -> Double {
            let k = self.k, nk = self.nk, invS = self.invS, fit = problem.fitIntercept
            let residual = self.residual, rowLoss = self.rowLoss, labels = self.labels, weights = self.weights
            x.image.withUnsafeBufferPointer { zb in
                d.image.withUnsafeBufferPointer { db in
                    let z = UncheckedPointer(zb.baseAddress!), dz = UncheckedPointer(db.baseAddress!)
                    ParallelBlocks(count: n, threads: problem.threads).run { rows in
                        for i in rows {
                            let row = residual.pointer + i * k, zi = z.pointer + i * k, di = dz.pointer + i * k
                            for cl in 0..<k { row[cl] = zi[cl] + t * di[cl] }
                            if fit {
                                for cl in 0..<k { row[cl] += z.pointer[nk + cl] + t * dz.pointer[nk + cl] }
                            }
                            rowLoss[i] = SoftmaxObjective.residual(row, k: k, label: Int(labels[i]),
                                                                    weight: weights[i], invS: invS)
                        }
                    }
                }
            }
            var sum = 0.0
            for v in rowLoss.buffer { sum += v }
            return sum * invS
        }

        /// The gradient at `point` from the residuals in `residual`; returns `‖∇f‖∞` in `W`'s coordinates.
        private func gradient(at point: Vector, into g: inout Vector) -> Double {
            for e in 0..<nk { g.coefficients[e] = residual[e] + penalty * point.coefficients[e] }
            var largest = 0.0
            if problem.fitIntercept {
                for cl in 0..<k { g.coefficients[nk + cl] = 0 }
                for i in 0..<n { for cl in 0..<k { g.coefficients[nk + cl] += residual[i * k + cl] } }
                for cl in 0..<k {
                    g.image[nk + cl] = g.coefficients[nk + cl]
                    largest = max(largest, abs(g.coefficients[nk + cl]))
                }
            }
            let gramMax = g.coefficients.withUnsafeBufferPointer { gc in
                g.image.withUnsafeMutableBufferPointer { gi in
                    problem.gram.gram(gc.baseAddress!, k: k, into: gi.baseAddress!, scratch: scratch.pointer,
                                      threads: problem.threads)
                }
            }
            return max(largest, gramMax)
        }
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
