/// Why an optimizer stopped, and whether that counts as converged.
public enum StopReason: String, Sendable, Codable {
    /// `‖∇f‖∞ ≤ tolerance`.
    case gradientTolerance = "gradient-tolerance"
    /// The relative decrease of `f` in one iteration fell below `functionTolerance`.
    case functionTolerance = "function-tolerance"
    case maxIterations = "max-iterations"
    /// No step along the search direction decreased `f` enough (numerical limit reached).
    case lineSearchFailed = "line-search-failed"

    public var converged: Bool { self == .gradientTolerance || self == .functionTolerance }
}

/// What an optimizer run did: a result, never a crash or a silent success.
public struct OptimizerReport: Sendable, Codable, Equatable {
    public var iterations: Int
    public var evaluations: Int
    public var value: Double
    /// `‖∇f‖∞` at the returned point.
    public var gradientNorm: Double
    public var stopReason: StopReason
    public var converged: Bool { stopReason.converged }
}

/// Limited-memory BFGS in the compact representation of Byrd, Nocedal & Schnabel, "Representations
/// of quasi-Newton matrices and their use in limited memory methods", Math. Programming 63 (1994),
/// Theorem 2.2, with `H₀ = γI`, `γ = sᵀy / yᵀy` of the newest pair:
///
///     H g = γ g + S t₁ + γ Y t₂,   u = R⁻¹ (Sᵀg),   t₂ = −u,
///     t₁ = R⁻ᵀ [ (D + γ YᵀY) u − γ Yᵀg ]
///
/// where `R` is upper triangular with `Rᵢⱼ = sᵢᵀyⱼ (i ≤ j)` and `D = diag(sᵢᵀyᵢ)`. The products
/// `Sᵀg`, `Yᵀg`, `S t₁` and `Y t₂` are four BLAS `dgemv` calls over the stored pairs; the triangular
/// solves are LAPACK `dtrtrs`. The classic two-loop recursion (Nocedal & Wright, Algorithm 7.4) gives
/// the same direction and is kept as `PairHistory.twoLoopDirection` for tests.
///
/// The step satisfies the Armijo condition, found by backtracking with safeguarded quadratic
/// interpolation. For the strongly convex objectives Copydesk fits (L2-regularised), every accepted
/// step has `sᵀy > 0`, so no curvature condition is needed to keep `H` positive definite.
public struct LBFGS: Sendable {
    public var memory: Int
    public var maxIterations: Int
    /// Stop when `‖∇f‖∞` is at most this (scikit-learn's `tol` for lbfgs).
    public var tolerance: Double
    /// Stop when `(f_prev − f) / max(|f_prev|, |f|, 1)` is at most this (the `ftol` scikit-learn passes to scipy, 64·ε).
    public var functionTolerance: Double

    public init(memory: Int = 10, maxIterations: Int = 500, tolerance: Double = 1e-4,
                functionTolerance: Double = 64 * Double.ulpOfOne) {
        self.memory = memory
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.functionTolerance = functionTolerance
    }

    /// Minimises `objective` starting from `x`, which holds the result on return.
    /// `progress` is called after each iteration with (iteration, f, ‖∇f‖∞).
    public func minimize<O: Objective>(
        _ objective: inout O, from x: inout [Double], progress: ((Int, Double, Double) -> Void)? = nil
    ) throws -> OptimizerReport {
        precondition(x.count == objective.dimension, "LBFGS: starting point has the wrong dimension")
        // The objective and the point move into the search (no copy of their storage) and back.
        var search = CoefficientSearch(consume objective, from: consume x, memory: memory)
        defer {
            x = search.x
            objective = search.objective
        }
        return try run(&search, progress: progress)
    }

    // MARK: - The driver

    /// Armijo's sufficient-decrease constant: a step `t` is accepted when
    /// `f(x + t·d) ≤ f(x) + c·t·⟨d, g⟩`.
    static let sufficientDecrease = 1e-4
    /// Trial steps per line search before it is declared failed.
    static let maximumTrialSteps = 40
    /// A rejected step is replaced by the minimiser of the quadratic through `f(x)`, the slope and
    /// `f(x + t·d)`, kept within these fractions of `t`.
    static let backtrackBounds = (smallest: 0.1, largest: 0.5)

    /// Runs L-BFGS on `search`: the direction from the stored pairs (steepest descent when it is not
    /// a descent direction), a backtracking line search, and the stopping tests. `search` holds the
    /// point, the gradient, the direction and the pairs, in its own representation.
    func run<S: LBFGSSearch>(_ search: inout S, progress: ((Int, Double, Double) -> Void)?) throws -> OptimizerReport {
        var (f, gNorm) = search.start()
        var evaluations = 1
        var iteration = 0
        var reason = StopReason.maxIterations
        if gNorm <= tolerance { reason = .gradientTolerance }

        while reason == .maxIterations && iteration < maxIterations {
            iteration += 1
            try search.setDirection()
            var slope = search.slope()
            if !(slope < 0) {
                // Not a descent direction (lost curvature information): restart from steepest descent.
                search.restart()
                slope = search.slope()
            }
            // The first step of a history is scaled to length 1 at most; later ones start at 1.
            var t = search.hasPairs ? 1 : min(1, 1 / max(search.gradientNorm2(), 1e-300))
            search.prepareSteps()
            var fNew = 0.0
            var accepted = false
            for _ in 0..<LBFGS.maximumTrialSteps {
                fNew = search.value(step: t)
                evaluations += 1
                if fNew <= f + LBFGS.sufficientDecrease * t * slope { accepted = true; break }
                let quadratic = -slope * t * t / (2 * (fNew - f - slope * t))
                let bounds = LBFGS.backtrackBounds
                t = quadratic.isFinite ? min(max(quadratic, bounds.smallest * t), bounds.largest * t) : bounds.largest * t
            }
            guard accepted else { reason = .lineSearchFailed; break }
            gNorm = search.accept(step: t)
            let decrease = (f - fNew) / max(abs(f), abs(fNew), 1)
            f = fNew
            progress?(iteration, f, gNorm)
            if gNorm <= tolerance { reason = .gradientTolerance }
            else if decrease <= functionTolerance { reason = .functionTolerance }
        }
        return OptimizerReport(iterations: iteration, evaluations: evaluations, value: f,
                               gradientNorm: gNorm, stopReason: reason)
    }
}

/// A minimisation in the form ``LBFGS/run(_:progress:)`` steps through. The search holds the current
/// point `x`, its gradient `g`, the direction `d` and the correction pairs, in whatever
/// representation suits its space (``CoefficientSearch`` on the parameters themselves, the row-space
/// solver on the documents' coefficients); the driver holds the loop, the line search and the tests.
protocol LBFGSSearch {
    /// `f` and `‖∇f‖∞` at the starting point.
    mutating func start() -> (value: Double, gradientNorm: Double)
    /// Whether any correction pair is stored.
    var hasPairs: Bool { get }
    /// `d = −H g` from the stored pairs (`−g` without any).
    mutating func setDirection() throws
    /// Forgets the pairs and sets `d = −g`.
    mutating func restart()
    /// `⟨d, g⟩`.
    func slope() -> Double
    /// `‖g‖₂`.
    func gradientNorm2() -> Double
    /// Called once the direction is final, before the first trial step.
    mutating func prepareSteps()
    /// `f(x + t·d)`.
    mutating func value(step t: Double) -> Double
    /// Moves to `x + t·d`, the point of the last ``value(step:)``, computes its gradient and stores
    /// the pair `(t·d, g₊ − g)`; returns `‖∇f‖∞` there.
    mutating func accept(step t: Double) -> Double
}

/// L-BFGS on the parameters of an ``Objective``: every trial step evaluates `f` and `∇f`.
struct CoefficientSearch<O: Objective>: LBFGSSearch {
    var objective: O
    private(set) var x: [Double]
    private var g: [Double], d: [Double], xNew: [Double], gNew: [Double]
    private var history: PairHistory
    private var n: Int { x.count }

    init(_ objective: O, from x: [Double], memory: Int) {
        self.objective = objective
        self.x = x
        let zero = [Double](repeating: 0, count: x.count)
        g = zero
        d = zero
        xNew = zero
        gNew = zero
        history = PairHistory(memory: memory, dimension: x.count)
    }

    mutating func start() -> (value: Double, gradientNorm: Double) {
        let f = Self.evaluate(&objective, x, &g)
        return (f, g.maxAbs())
    }

    var hasPairs: Bool { !history.isEmpty }

    mutating func setDirection() throws { try history.direction(for: g, into: &d) }

    mutating func restart() {
        history.clear()
        for i in 0..<n { d[i] = -g[i] }
    }

    func slope() -> Double { BLAS.dot(n, d, g) }

    func gradientNorm2() -> Double { BLAS.norm2(n, g) }

    mutating func prepareSteps() {}

    mutating func value(step t: Double) -> Double {
        for i in 0..<n { xNew[i] = x[i] + t * d[i] }
        return Self.evaluate(&objective, xNew, &gNew)
    }

    mutating func accept(step t: Double) -> Double {
        // y = gNew − g (kept in g); s = t·d.
        for i in 0..<n { g[i] = gNew[i] - g[i] }
        history.push(step: t, direction: d, y: g, newGradient: gNew)
        swap(&x, &xNew)
        swap(&g, &gNew)
        return g.maxAbs()
    }

    private static func evaluate(_ objective: inout O, _ x: [Double], _ g: inout [Double]) -> Double {
        x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.evaluate(xp, gradient: $0) } }
    }
}

/// The stored correction pairs `(sᵢ, yᵢ)` with their inner products, and the compact-form product.
///
/// The products with the history are the cost of L-BFGS on long parameter vectors, so each
/// iteration makes four passes over it, not seven: `Sᵀg` and `Yᵀg` for the new gradient (two
/// `dgemv`), reused by the next direction, and `S·t₁`, `Y·t₂` for the direction itself. The new pair's
/// inner products with the stored ones are derived instead of recomputed (Byrd, Nocedal & Schnabel
/// 1994, §4): `Sᵀy = Sᵀg₊ − Sᵀg`, `Yᵀy = Yᵀg₊ − Yᵀg`, and `Yᵀs = t·Yᵀd` from the direction's
/// coefficients `d = a·g + S·c_s + Y·c_y` and the small matrices. Debug builds check every derived
/// product against a direct one.
struct PairHistory {
    let memory: Int
    let dimension: Int
    /// `memory × dimension`, row-major, one pair per slot.
    private(set) var s: [Double]
    private(set) var y: [Double]
    /// Slots from oldest to newest.
    private(set) var order: [Int] = []
    /// `sy[i * memory + j] = s_iᵀ y_j`, `yy[i * memory + j] = y_iᵀ y_j` over slots.
    private var sy: [Double]
    private var yy: [Double]
    /// `Sᵀg`, `Yᵀg` over slots for the current gradient, when `haveProducts`.
    private var p: [Double]
    private var q: [Double]
    private var haveProducts = false
    /// The last direction as `−γ·g + Σ cs[j]·s_j + Σ cy[j]·y_j` (γ = 1 for steepest descent), and
    /// `Sᵀg`, `Yᵀg` at its `g`; ``RowSpacePairs`` keeps the same.
    private var lastGamma = 1.0
    private var lastCS: [Double]
    private var lastCY: [Double]
    private var lastP: [Double]
    private var lastQ: [Double]

    init(memory: Int, dimension: Int) {
        self.memory = max(1, memory)
        self.dimension = dimension
        s = [Double](repeating: 0, count: self.memory * dimension)
        y = s
        sy = [Double](repeating: 0, count: self.memory * self.memory)
        yy = sy
        p = [Double](repeating: 0, count: self.memory)
        q = p
        lastCS = p
        lastCY = p
        lastP = p
        lastQ = p
    }

    var isEmpty: Bool { order.isEmpty }

    /// Forgets every pair; the next direction is steepest descent.
    mutating func clear() {
        order.removeAll()
        for i in s.indices { s[i] = 0; y[i] = 0 }
        for i in sy.indices { sy[i] = 0; yy[i] = 0 }
        haveProducts = false
        lastGamma = 1
        for j in 0..<memory { lastCS[j] = 0; lastCY[j] = 0; lastP[j] = 0; lastQ[j] = 0 }
    }

    /// `Sᵀv` and `Yᵀv` over all slots (unused slots are zero rows).
    private func products(_ v: [Double]) -> ([Double], [Double]) {
        let n = dimension, m = memory
        var ps = [Double](repeating: 0, count: m), qs = ps
        s.withUnsafeBufferPointer { BLAS.gemv(transpose: false, rows: m, columns: n, alpha: 1, $0.baseAddress!, lda: n, v, beta: 0, &ps) }
        y.withUnsafeBufferPointer { BLAS.gemv(transpose: false, rows: m, columns: n, alpha: 1, $0.baseAddress!, lda: n, v, beta: 0, &qs) }
        return (ps, qs)
    }

    /// Stores the pair `s = t·d`, `y = g₊ − g` after a step of length `t` along the last direction
    /// `d`; drops the oldest pair when full; skips a pair without positive curvature.
    mutating func push(step t: Double, direction d: [Double], y newY: [Double], newGradient gNew: [Double]) {
        let n = dimension, m = memory
        let (pN, qN) = products(gNew)
        let curvature = t * BLAS.dot(n, d, newY)
        let yNorm2 = BLAS.dot(n, newY, newY)
        defer { haveProducts = true }
        guard curvature > 1e-10 * yNorm2, yNorm2 > 0 else { p = pN; q = qN; return }
        // Inner products of the new pair with every stored pair j, derived.
        var sTy = [Double](repeating: 0, count: m), yTy = sTy, yTs = sTy
        for j in order {
            sTy[j] = pN[j] - lastP[j]
            yTy[j] = qN[j] - lastQ[j]
            var yd = -lastGamma * lastQ[j]
            for i in order { yd += lastCS[i] * sy[i * m + j] + lastCY[i] * yy[i * m + j] }
            yTs[j] = t * yd
        }
        let slot: Int
        if order.count < m { slot = order.count } else { slot = order.removeFirst() }
        s.withUnsafeMutableBufferPointer { sp in
            y.withUnsafeMutableBufferPointer { yp in
                BLAS.copy(n, d, sp.baseAddress! + slot * n)
                BLAS.scale(n, t, sp.baseAddress! + slot * n)
                BLAS.copy(n, newY, yp.baseAddress! + slot * n)
            }
        }
        for j in order {
            sy[j * m + slot] = sTy[j]
            sy[slot * m + j] = yTs[j]
            yy[slot * m + j] = yTy[j]
            yy[j * m + slot] = yTy[j]
        }
        order.append(slot)
        sy[slot * m + slot] = curvature
        yy[slot * m + slot] = yNorm2
        p = pN
        q = qN
        p[slot] = t * BLAS.dot(n, d, gNew)
        q[slot] = BLAS.dot(n, newY, gNew)
        #if DEBUG
        checkProducts(gNew)
        #endif
    }

    #if DEBUG
    /// Recomputes every derived inner product directly (debug builds only).
    private func checkProducts(_ g: [Double]) {
        let n = dimension, m = memory
        let (pd, qd) = products(g)
        func close(_ a: Double, _ b: Double, _ scale: Double) -> Bool { abs(a - b) <= 1e-7 * scale + 1e-12 }
        for i in order {
            let si = Array(s[(i * n)..<((i + 1) * n)]), yi = Array(y[(i * n)..<((i + 1) * n)])
            let gs = BLAS.norm2(n, g), ss = BLAS.norm2(n, si), ys = BLAS.norm2(n, yi)
            assert(close(p[i], pd[i], gs * ss) && close(q[i], qd[i], gs * ys), "PairHistory: Sᵀg or Yᵀg drifted")
            for j in order {
                let yj = Array(y[(j * n)..<((j + 1) * n)])
                let yjs = BLAS.norm2(n, yj)
                assert(close(sy[i * m + j], BLAS.dot(n, si, yj), ss * yjs), "PairHistory: sᵢᵀyⱼ drifted")
                assert(close(yy[i * m + j], BLAS.dot(n, yi, yj), ys * yjs), "PairHistory: yᵢᵀyⱼ drifted")
            }
        }
    }
    #endif

    /// `d = −H g` by the compact representation; `d = −g` with no pairs. `g` must be the gradient
    /// passed to the last ``push(step:direction:y:newGradient:)`` (or the first one).
    mutating func direction(for g: [Double], into d: inout [Double]) throws {
        let n = dimension, m = memory, c = order.count
        guard c > 0 else {
            for i in 0..<n { d[i] = -g[i] }
            lastGamma = 1
            for j in 0..<m { lastCS[j] = 0; lastCY[j] = 0; lastP[j] = 0; lastQ[j] = 0 }
            return
        }
        if !haveProducts { (p, q) = products(g); haveProducts = true }
        let (gamma, cs, cy) = try PairHistory.compactCoefficients(order: order, memory: m, sy: sy, yy: yy, p: p, q: q)
        for i in 0..<n { d[i] = -gamma * g[i] }
        s.withUnsafeBufferPointer { BLAS.gemv(transpose: true, rows: m, columns: n, alpha: 1, $0.baseAddress!, lda: n, cs, beta: 1, &d) }
        y.withUnsafeBufferPointer { BLAS.gemv(transpose: true, rows: m, columns: n, alpha: 1, $0.baseAddress!, lda: n, cy, beta: 1, &d) }
        lastGamma = gamma
        lastCS = cs
        lastCY = cy
        lastP = p
        lastQ = q
    }

    /// The coefficients of `H g = γ g − S·cs − Y·cy`, i.e. `d = −H g = −γ g + S·cs + Y·cy`, from the
    /// pairs' inner products (slots in `order`, oldest first; `sy`, `yy` are `memory × memory` over
    /// slots) and `p = Sᵀg`, `q = Yᵀg` over slots. `cs` and `cy` are indexed by slot.
    static func compactCoefficients(
        order: [Int], memory m: Int, sy: [Double], yy: [Double], p: [Double], q: [Double]
    ) throws -> (gamma: Double, cs: [Double], cy: [Double]) {
        let c = order.count
        let newest = order[c - 1]
        let gamma = sy[newest * m + newest] / yy[newest * m + newest]
        // Small matrices in chronological order, column-major for LAPACK.
        var r = [Double](repeating: 0, count: c * c)
        for j in 0..<c { for i in 0...j { r[j * c + i] = sy[order[i] * m + order[j]] } }
        var u = order.map { p[$0] }
        try LAPACK.triangularSolve(upper: true, transpose: false, n: c, r, &u)
        var v = [Double](repeating: 0, count: c)
        for i in 0..<c {
            var acc = sy[order[i] * m + order[i]] * u[i] - gamma * q[order[i]]
            for j in 0..<c { acc += gamma * yy[order[i] * m + order[j]] * u[j] }
            v[i] = acc
        }
        try LAPACK.triangularSolve(upper: true, transpose: true, n: c, r, &v)
        // H g = γ g + S t₁ + γ Y t₂ with t₁ = v, t₂ = −u; d = −H g.
        var cs = [Double](repeating: 0, count: m), cy = cs
        for i in 0..<c { cs[order[i]] = -v[i]; cy[order[i]] = gamma * u[i] }
        return (gamma, cs, cy)
    }

    /// The same `d = −H g` by the two-loop recursion (Nocedal & Wright, Algorithm 7.4), for tests.
    func twoLoopDirection(for g: [Double]) -> [Double] {
        let n = dimension
        var qv = g
        var alphas = [Double](repeating: 0, count: order.count)
        func sv(_ slot: Int) -> ArraySlice<Double> { s[(slot * n)..<((slot + 1) * n)] }
        func yv(_ slot: Int) -> ArraySlice<Double> { y[(slot * n)..<((slot + 1) * n)] }
        func dot(_ a: ArraySlice<Double>, _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        for (k, slot) in order.enumerated().reversed() {
            let rho = 1 / dot(sv(slot), Array(yv(slot)))
            alphas[k] = rho * dot(sv(slot), qv)
            for (i, yi) in yv(slot).enumerated() { qv[i] -= alphas[k] * yi }
        }
        if let newest = order.last {
            let gamma = dot(sv(newest), Array(yv(newest))) / dot(yv(newest), Array(yv(newest)))
            for i in 0..<n { qv[i] *= gamma }
        }
        for (k, slot) in order.enumerated() {
            let rho = 1 / dot(sv(slot), Array(yv(slot)))
            let beta = rho * dot(yv(slot), qv)
            for (i, si) in sv(slot).enumerated() { qv[i] += (alphas[k] - beta) * si }
        }
        return qv.map { -$0 }
    }
}
