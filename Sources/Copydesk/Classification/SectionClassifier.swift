import Foundation

/// A labelled training example.
public struct LabeledText: Sendable {
    public var text: String
    public var label: String
    /// The desk the text was written for: its places become place words (``PlaceMatcher``).
    public var desk: PlaceMatcher?
    public init(text: String, label: String, desk: PlaceMatcher? = nil) {
        self.text = text
        self.label = label
        self.desk = desk
    }

    /// What the vectorizer reads: the text with the desk's places replaced by place words.
    var input: String { desk?.annotate(text) ?? text }
}

/// What training did, stored in the model file. Holds no timings, so that the same inputs give a
/// byte-identical model.
public struct TrainingReport: Sendable, Codable, Equatable {
    public var documents: Int
    public var documentsPerSection: [String: Int]
    public var features: Int
    public var optimizer: OptimizerReport
}

/// One term's share of a decision: `tfidf · weight` adds exactly that much to the section's score.
public struct TermContribution: Sendable, Equatable {
    public var term: String
    public var tfidf: Double
    public var weight: Double
    public var contribution: Double { tfidf * weight }
}

/// A section with its probability.
public struct SectionProbability: Sendable, Equatable {
    public var section: String
    public var probability: Double
}

/// The classifier's answer for one article.
public struct Prediction: Sendable {
    public var section: String
    /// Every section, most probable first.
    public var probabilities: [SectionProbability]
    /// The terms that raised the chosen section's score most, largest first (empty unless asked).
    public var explanation: [TermContribution]
    /// The chosen section's intercept: the rest of its score.
    public var intercept: Double
}

/// A fitted section classifier: TF-IDF features and a multinomial logistic regression.
/// Immutable and `Sendable`, so one loaded model can serve concurrent requests without locks.
public struct SectionClassifier: Sendable {
    public let vectorizer: TFIDFVectorizer
    public let regression: LogisticRegressionConfiguration
    /// Section names, sorted (as scikit-learn sorts `classes_`).
    public let sections: [String]
    /// `features × sections`, row-major. A model read from a file keeps them in the file's mapping
    /// (see ``ModelFile/read(from:)``), and this property then returns a copy: loops should use
    /// ``withCoefficients(_:)``.
    public var coefficients: [Double] { weights.array }
    let weights: CoefficientMatrix
    public let intercepts: [Double]
    public let report: TrainingReport
    /// The temperature fitted on out-of-fold scores (nil: none, probabilities are the plain softmax).
    public let calibration: Calibration?
    /// The desk profiles the model learnt from, if any (see ``ModelDesk``).
    public let desk: ModelDesk?
    /// The desk whose places this instance recognises in the texts it classifies (``using(desk:gazetteer:)``).
    public let places: PlaceMatcher?
    /// `1 / temperature`: scores are multiplied by it before the softmax.
    let scoreScale: Double
    /// Each section as a JSON key with its colon (`"name":`), for lines that list every section.
    let sectionKeys: [String]

    init(vectorizer: TFIDFVectorizer, regression: LogisticRegressionConfiguration, sections: [String],
         coefficients: CoefficientMatrix, intercepts: [Double], report: TrainingReport,
         calibration: Calibration? = nil, desk: ModelDesk? = nil, places: PlaceMatcher? = nil) {
        self.vectorizer = vectorizer
        self.regression = regression
        self.sections = sections
        weights = coefficients
        self.intercepts = intercepts
        self.report = report
        self.calibration = calibration
        self.desk = desk
        self.places = places
        scoreScale = 1 / (calibration?.temperature ?? 1)
        sectionKeys = sections.map { var key = ""; JSONLine.writeString($0, to: &key); return key + ":" }
    }

    /// The same model reading texts as `profile`'s desk: its coverage is the desk area, its country
    /// the home country. A model trained without desk profiles has no place words to give them, and
    /// is returned unchanged; `nil` reads texts as they are.
    ///
    /// The gazetteer (default: ``Gazetteer/shared``, read from the system's data on first use) is
    /// only touched when there is a profile to match.
    public func using(desk profile: DeskProfile?, gazetteer: Gazetteer? = nil) -> SectionClassifier {
        guard desk?.placeFeatures == true || profile == nil else { return self }
        return with(calibration: calibration,
                    places: profile.map { PlaceMatcher(profile: $0, gazetteer: gazetteer ?? .shared) })
    }

    /// The same model with plain softmax probabilities (for comparing against the calibrated ones).
    public var uncalibrated: SectionClassifier { with(calibration: nil, places: places) }

    func with(calibration: Calibration?, places: PlaceMatcher?) -> SectionClassifier {
        SectionClassifier(vectorizer: vectorizer, regression: regression, sections: sections, coefficients: weights,
                          intercepts: intercepts, report: report, calibration: calibration, desk: desk, places: places)
    }

    /// Progress of training: vectorizing (documents done) or optimizing (iteration, f, ‖∇f‖∞).
    public enum TrainingEvent: Sendable {
        case vectorized(Int)
        case iteration(Int, value: Double, gradientNorm: Double)
        /// Training the calibration's fold models (before the model itself): this fold (1-based) of that many.
        case calibrating(fold: Int, of: Int)
    }

    /// Fits TF-IDF and the regression on `examples`, and the calibration on out-of-fold scores.
    ///
    /// The texts are counted once (`CorpusCounts`); the calibration's fold models and the model
    /// itself are fitted from those counts, each with its own vocabulary and idf.
    ///
    /// - Throws: ``ConfigurationError`` for invalid settings, ``TrainingError`` for unusable data,
    ///   ``LinearAlgebraError`` if LAPACK fails.
    public static func train(
        _ examples: [LabeledText], tfidf: TFIDFConfiguration = .init(),
        regression: LogisticRegressionConfiguration = .init(),
        progress: ((TrainingEvent) -> Void)? = nil
    ) throws -> SectionClassifier {
        try tfidf.validate()
        try regression.validate()
        let labels = examples.map(\.label)
        guard Set(labels).count >= 2 else {
            throw TrainingError.tooFewSections(found: Array(Set(labels)).sorted())
        }
        // Each text with its desk's places as place words, counted once for the calibration's folds
        // and the model. The folds come first so that the counts are dropped before the model's
        // own optimization (the smaller peak).
        var counts: CorpusCounts? = CorpusCounts(examples.map(\.input), configuration: tfidf, threads: regression.threads)
        progress?(.vectorized(examples.count))
        let calibration = try Calibration.fit(labels: labels, counts: counts!, regression: regression, progress: progress)
        let model = try fit(labels: labels, regression: regression, progress: progress) {
            defer { counts = nil }
            return try counts!.fit(threads: regression.threads)
        }
        var profiles: [DeskProfile] = [], seen = Set<DeskProfile>()
        for e in examples { if let p = e.desk?.profile, seen.insert(p).inserted, profiles.count < ModelDesk.listed { profiles.append(p) } }
        let modelDesk = seen.isEmpty ? nil : ModelDesk(placeFeatures: true, profiles: profiles, desks: seen.count)
        // The model reads new texts as the first desk it met, through that desk's own matcher.
        return SectionClassifier(vectorizer: model.vectorizer, regression: regression, sections: model.sections,
                                 coefficients: model.weights, intercepts: model.intercepts, report: model.report,
                                 calibration: calibration, desk: modelDesk, places: examples.lazy.compactMap(\.desk).first)
    }

    /// The regression fitted on the TF-IDF matrix that `vectorize` returns (one row per label, in
    /// order), without calibration or desk.
    static func fit(labels names: [String], regression: LogisticRegressionConfiguration,
                    progress: ((TrainingEvent) -> Void)?,
                    vectorize: () throws -> (TFIDFVectorizer, CSRMatrix)) throws -> SectionClassifier {
        let sections = Array(Set(names)).sorted()
        guard sections.count >= 2 else {
            throw TrainingError.tooFewSections(found: sections)
        }
        let index = Dictionary(uniqueKeysWithValues: sections.enumerated().map { ($1, Int32($0)) })
        let labels = names.map { index[$0] ?? 0 }
        var perSection = [String: Int]()
        for name in names { perSection[name, default: 0] += 1 }
        var weights: [Double]?
        if regression.classWeight == .balanced {
            let n = Double(names.count), k = Double(sections.count)
            let perClass = sections.map { n / (k * Double(perSection[$0] ?? 1)) }
            weights = labels.map { perClass[Int($0)] }
        }
        // L-BFGS keeps 4m + 5 vectors: in the row space (`RowSpaceSoftmaxSolver`) each has
        // articles × sections entries, on the coefficients (`LBFGS` on `SoftmaxObjective`) features ×
        // sections. The smaller space is chosen; both reach the same minimiser. The row form of X goes
        // out of scope with this closure when the row-space solver (which keeps X by columns) is used.
        enum Fit {
            case rows(RowSpaceSoftmaxSolver)
            case coefficients(SoftmaxObjective, LBFGS)
        }
        let settings = LBFGS(memory: regression.memory, maxIterations: regression.maxIterations,
                             tolerance: regression.tolerance)
        let (vectorizer, fit) = try { () throws -> (TFIDFVectorizer, Fit) in
            let (vectorizer, x) = try vectorize()
            if x.rows <= x.columns {
                return (vectorizer, .rows(RowSpaceSoftmaxSolver(
                    x: x, labels: labels, classes: sections.count, sampleWeights: weights, c: regression.c,
                    fitIntercept: regression.fitIntercept, threads: regression.threads, settings: settings)))
            }
            return (vectorizer, .coefficients(SoftmaxObjective(
                x: x, labels: labels, classes: sections.count, sampleWeights: weights, c: regression.c,
                fitIntercept: regression.fitIntercept, threads: regression.threads), settings))
        }()
        let d = vectorizer.featureCount, k = sections.count
        let coefficients: [Double], intercepts: [Double], optimizer: OptimizerReport
        switch fit {
        case let .rows(solver):
            (coefficients, intercepts, optimizer) = try solver.minimize {
                progress?(.iteration($0, value: $1, gradientNorm: $2))
            }
        case .coefficients(var objective, let solver):
            var w = [Double](repeating: 0, count: objective.dimension)
            optimizer = try solver.minimize(&objective, from: &w) {
                progress?(.iteration($0, value: $1, gradientNorm: $2))
            }
            coefficients = Array(w[0..<(d * k)])
            intercepts = regression.fitIntercept ? Array(w[(d * k)...]) : [Double](repeating: 0, count: k)
        }
        let report = TrainingReport(documents: names.count, documentsPerSection: perSection,
                                    features: d, optimizer: optimizer)
        return SectionClassifier(vectorizer: vectorizer, regression: regression, sections: sections,
                                 coefficients: CoefficientMatrix(coefficients), intercepts: intercepts, report: report)
    }

    // MARK: - Prediction

    /// Calls `body` with the coefficients (`features × sections`, row-major) without copying them.
    public func withCoefficients<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try weights.withUnsafeBufferPointer(body)
    }

    /// Section scores `z = x·W + b` of a TF-IDF vector (before calibration).
    public func scores(_ x: SparseVector) -> [Double] {
        let k = sections.count
        var z = intercepts
        precondition(x.indices.count == x.values.count, "a sparse vector has as many values as indices")
        weights.withUnsafeBufferPointer { w in
            x.indices.withUnsafeBufferPointer { i in
                x.values.withUnsafeBufferPointer { v in
                    z.withUnsafeMutableBufferPointer { z in
                        Kernels.sparseScores(w.baseAddress!, k: k, indices: i.baseAddress, values: v.baseAddress,
                                             count: i.count, into: z.baseAddress!)
                    }
                }
            }
        }
        return z
    }

    /// Softmax of the scores, computed stably.
    public static func softmax(_ z: [Double]) -> [Double] {
        let m = z.max() ?? 0
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// Probabilities of every section for one TF-IDF vector, in ``sections`` order: the softmax of
    /// the scores divided by the calibration's temperature, its top probability then read through
    /// the calibration's isotonic map when it has one.
    public func probabilities(_ x: SparseVector) -> [Double] {
        let z = scores(x)
        let p = SectionClassifier.softmax(scoreScale == 1 ? z : z.map { $0 * scoreScale })
        return calibration?.adjusted(p) ?? p
    }

    /// The probabilities of `text`'s sections, in the order of ``sections`` (calibrated when the
    /// model is), without ranking them.
    public func probabilities(of text: String) -> [Double] {
        let index = vectorizer.lookupIndex
        return vectorizer.counters.with { probabilities(vector(text, using: $0, index: index)) }
    }

    /// Classifies `text`; with `explain > 0`, lists that many terms that pushed the chosen section most.
    public func classify(_ text: String, explain: Int = 0) -> Prediction {
        let index = vectorizer.lookupIndex
        return vectorizer.counters.with { prediction(for: vector(text, using: $0, index: index), explain: explain) }
    }

    /// The TF-IDF vector of `text`; the coefficient row of each term found starts loading as the
    /// term is looked up, so the scores that follow find most rows in cache.
    private func vector(_ text: String, using counter: TermCounter, index: VocabularyIndex) -> SparseVector {
        let k = sections.count
        let input = places?.annotate(text) ?? text
        return weights.withUnsafeBufferPointer { w in
            vectorizer.transform(input, using: counter, index: index) { j in
                Kernels.prefetch(w.baseAddress! + j * k, bytes: 8 * k)
            }
        }
    }

    /// Classifies many texts on up to `threads` threads; the results are in input order and do not
    /// depend on the thread count. Threads take chunks of 16 texts as they finish the last.
    public func classify(_ texts: [String], explain: Int = 0, threads: Int) -> [Prediction] {
        map(count: texts.count, threads: threads, text: { texts[$0] }) { prediction(for: $0, explain: explain) }
    }

    /// Classifies articles (their ``Article/classifierInput``) as ``classify(_:explain:threads:)``
    /// does texts; each article's input is put together on the thread that classifies it.
    public func classify(_ articles: ArraySlice<Article>, explain: Int = 0, threads: Int) -> [Prediction] {
        let start = articles.startIndex
        return map(count: articles.count, threads: threads, text: { articles[start + $0].classifierInput }) {
            prediction(for: $0, explain: explain)
        }
    }

    /// The section ``classify(_:explain:threads:)-(ArraySlice<Article>,_,_)`` chooses for each article, as an index into
    /// ``sections``, with its probability, without ranking the others (what evaluation needs).
    public func bestSections(_ articles: ArraySlice<Article>, threads: Int) -> [(section: Int, probability: Double)] {
        let start = articles.startIndex
        return map(count: articles.count, threads: threads, text: { articles[start + $0].classifierInput }) {
            let p = probabilities($0)
            let best = SectionClassifier.best(p)
            return (best, p[best])
        }
    }

    /// `result` of the vector of each of `count` texts, on up to `threads` threads, in input order.
    private func map<T>(count: Int, threads: Int, text: @Sendable (Int) -> String,
                        _ result: @Sendable (SparseVector) -> T) -> [T] {
        let parts = PartResults<T>(count: count)
        let index = vectorizer.lookupIndex
        ParallelBlocks.dynamic(count: count, chunk: 16, threads: threads) { _, next in
            let counter = self.vectorizer.makeCounter()
            while let range = next() {
                for i in range { parts.set(i, result(self.vector(text(i), using: counter, index: index))) }
            }
        }
        return parts.values
    }

    public func prediction(for x: SparseVector, explain: Int = 0) -> Prediction {
        let p = probabilities(x)
        let best = SectionClassifier.best(p)
        let ranked = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
            .map { SectionProbability(section: sections[$0], probability: p[$0]) }
        return Prediction(section: sections[best], probabilities: ranked,
                          explanation: explain > 0 ? explanation(for: x, section: best, limit: explain) : [],
                          intercept: intercepts[best])
    }

    /// The index of the largest probability, the first of equals.
    static func best(_ p: [Double]) -> Int {
        var best = 0
        for c in p.indices where p[c] > p[best] { best = c }
        return best
    }

    /// The `limit` terms of `x` with the largest positive `tfidf · weight` for section index `section`.
    public func explanation(for x: SparseVector, section: Int, limit: Int) -> [TermContribution] {
        let k = sections.count
        var terms: [TermContribution] = []
        weights.withUnsafeBufferPointer { coefficients in
            for (j, v) in zip(x.indices, x.values) {
                let w = coefficients[Int(j) * k + section]
                if v * w > 0 {
                    terms.append(TermContribution(term: PlaceKind.readable(vectorizer.term(Int(j))), tfidf: v, weight: w))
                }
            }
        }
        terms.sort { $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.term < $1.term }
        return Array(terms.prefix(limit))
    }

    /// The `limit` terms with the largest weight for each section, for `inspect`.
    ///
    /// - Complexity: O(features · sections · limit), with a small sorted buffer per section instead
    ///   of sorting the whole vocabulary.
    public func topTerms(limit: Int) -> [(section: String, terms: [(term: String, weight: Double)])] {
        let k = sections.count, d = vectorizer.featureCount
        guard limit > 0 else { return sections.map { ($0, []) } }
        var best = [[(weight: Double, feature: Int)]](repeating: [], count: k)
        weights.withUnsafeBufferPointer { coefficients in
            for j in 0..<d {
                for c in 0..<k {
                    let w = coefficients[j * k + c]
                    if best[c].count == limit, let last = best[c].last, w <= last.weight { continue }
                    let at = best[c].firstIndex { w > $0.weight } ?? best[c].count
                    best[c].insert((w, j), at: at)
                    if best[c].count > limit { best[c].removeLast() }
                }
            }
        }
        return sections.enumerated().map { c, name in
            (name, best[c].map { (PlaceKind.readable(vectorizer.term($0.feature)), $0.weight) })
        }
    }
}
