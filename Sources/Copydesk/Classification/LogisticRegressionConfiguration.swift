/// Settings of the multinomial logistic regression; validated by ``validate()`` before fitting.
public struct LogisticRegressionConfiguration: Sendable, Hashable, Codable {
    public enum ClassWeight: String, Sendable, Codable, CaseIterable {
        /// Every article counts once.
        case none
        /// Article weight `n / (K · n_c)` for an article of section `c`, as scikit-learn's `"balanced"`.
        case balanced
    }

    /// Inverse regularisation strength, scikit-learn's `C`: larger fits the training data more closely.
    /// The default, 40, had the best calibrated out-of-fold log-loss over the pooled training splits
    /// of BBC, 20 Newsgroups and HuffPost, with accuracy close to the best (BENCHMARKS.md).
    public var c: Double
    public var classWeight: ClassWeight
    public var fitIntercept: Bool
    public var maxIterations: Int
    /// Gradient tolerance `‖∇f‖∞` (scikit-learn's `tol`).
    public var tolerance: Double
    /// Number of L-BFGS correction pairs kept.
    public var memory: Int
    /// Threads used by the data passes. The fitted model does not depend on it.
    public var threads: Int
    /// Folds of the out-of-fold scores the probability temperature is fitted on (``Calibration``);
    /// 0 leaves probabilities uncalibrated.
    public var calibrationFolds: Int

    public init(c: Double = 40, classWeight: ClassWeight = .none, fitIntercept: Bool = true,
                maxIterations: Int = 500, tolerance: Double = 1e-4, memory: Int = 10, threads: Int = 2,
                calibrationFolds: Int = 3) {
        self.c = c
        self.classWeight = classWeight
        self.fitIntercept = fitIntercept
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.memory = memory
        self.threads = threads
        self.calibrationFolds = calibrationFolds
    }

    // `threads` is left out of the stored form: it does not change the model, and leaving it out
    // keeps model files byte-identical whatever the thread count.
    private enum CodingKeys: String, CodingKey {
        case c, classWeight, fitIntercept, maxIterations, tolerance, memory, calibrationFolds
    }

    public init(from decoder: any Decoder) throws {
        let k = try decoder.container(keyedBy: CodingKeys.self)
        self.init(c: try k.decode(Double.self, forKey: .c),
                  classWeight: try k.decode(ClassWeight.self, forKey: .classWeight),
                  fitIntercept: try k.decode(Bool.self, forKey: .fitIntercept),
                  maxIterations: try k.decode(Int.self, forKey: .maxIterations),
                  tolerance: try k.decode(Double.self, forKey: .tolerance),
                  memory: try k.decode(Int.self, forKey: .memory),
                  // Format 1 files predate calibration.
                  calibrationFolds: try k.decodeIfPresent(Int.self, forKey: .calibrationFolds) ?? 0)
    }

    public func validate() throws {
        guard c > 0, c.isFinite else {
            throw ConfigurationError(parameter: "C", value: "\(c)", expected: "a positive finite number, such as 10")
        }
        guard maxIterations >= 1 else {
            throw ConfigurationError(parameter: "max-iterations", value: "\(maxIterations)", expected: "at least 1")
        }
        guard tolerance > 0, tolerance.isFinite else {
            throw ConfigurationError(parameter: "tolerance", value: "\(tolerance)", expected: "a positive number")
        }
        guard (1...100).contains(memory) else {
            throw ConfigurationError(parameter: "memory", value: "\(memory)", expected: "1-100 correction pairs")
        }
        guard calibrationFolds == 0 || (2...20).contains(calibrationFolds) else {
            throw ConfigurationError(parameter: "calibration-folds", value: "\(calibrationFolds)", expected: "0 (off) or 2-20")
        }
        guard threads >= 1 else {
            throw ConfigurationError(parameter: "threads", value: "\(threads)", expected: "at least 1")
        }
    }
}
