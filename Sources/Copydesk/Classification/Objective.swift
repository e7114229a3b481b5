/// A smooth function to minimise. Optimizers see only this interface (as in LIBLINEAR, where the
/// loss is separate from the solver).
public protocol Objective {
    /// Number of parameters.
    var dimension: Int { get }
    /// Returns `f(w)` and writes `∇f(w)` into `gradient`.
    mutating func evaluate(_ w: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double
}
