import Foundation
import CKernels
import Testing
@testable import Copydesk

@Suite struct SectionClassifierTests {
    /// The scoring kernel (which fetches rows ahead) adds exactly what the plain loop adds, for rows
    /// shorter and longer than its look-ahead and any number of sections.
    @Test(arguments: [1, 3, 20])
    func sparseScoresEqualPlainLoop(k: Int) {
        var r = SplitMix64(seed: UInt64(k))
        let d = 300
        let w = (0..<(d * k)).map { _ in Double.random(in: -2...2, using: &r) }
        for count in [0, 1, 7, 8, 9, 150] {
            let indices = (0..<d).shuffled(using: &r).prefix(count).sorted().map(Int32.init)
            let values = indices.map { _ in Double.random(in: 0...1, using: &r) }
            let start = (0..<k).map { Double($0) / 10 }
            var expected = start
            for (j, v) in zip(indices, values) { for c in 0..<k { expected[c] += v * w[Int(j) * k + c] } }
            var z = start
            copydesk_sparse_scores(w, Int64(k), indices, values, Int64(indices.count), &z)
            #expect(z == expected, "k \(k), \(count) entries")
        }
    }

    static let sklearnTFIDF = TFIDFConfiguration(tokenizer: .init(rule: .scikitLearn), ngrams: 1...1, minDF: .count(1), sublinearTF: true)

    @Test(arguments: ["plain", "balanced_on_first_10"])
    func coefficientsMatchScikitLearn(caseName: String) throws {
        let reference = try SklearnReference.load()
        let c = try #require(reference.logistic_regression.first { $0.name == caseName })
        let docs = reference.documents.prefix(c.documents)
        let regression = LogisticRegressionConfiguration(c: c.C, classWeight: c.class_weight == "balanced" ? .balanced : .none,
                                                         maxIterations: 10_000, tolerance: 1e-10)
        let model = try SectionClassifier.train(docs.map { LabeledText(text: $0.text, label: $0.label) },
                                                tfidf: Self.sklearnTFIDF, regression: regression)
        #expect(model.report.optimizer.converged)
        #expect(model.sections == c.classes)
        #expect((0..<model.vectorizer.featureCount).map(model.vectorizer.term) == c.vocabulary)
        let k = c.classes.count
        for (cl, row) in c.coef.enumerated() {
            for (j, value) in row.enumerated() {
                #expect(isClose(model.coefficients[j * k + cl], value, absolute: 1e-6), "coef[\(cl), \(j)]")
            }
        }
        for (cl, value) in c.intercept.enumerated() { #expect(isClose(model.intercepts[cl], value, absolute: 1e-6)) }
        // scikit-learn's probabilities are the plain softmax; Copydesk's default divides the scores by
        // the calibration's temperature first.
        let x = model.vectorizer.transform(docs.first!.text)
        let p = model.uncalibrated.probabilities(x)
        for (cl, value) in c.probabilities_first_doc.enumerated() { #expect(isClose(p[cl], value, absolute: 1e-7)) }
        if let t = model.calibration?.temperature {
            let calibrated = model.probabilities(x), expected = SectionClassifier.softmax(model.scores(x).map { $0 / t })
            for (a, b) in zip(calibrated, expected) { #expect(isClose(a, b, absolute: 1e-12)) }
        }
    }

    /// With more articles than features, training runs L-BFGS on the coefficients instead of the row
    /// space; both must reach the same model.
    @Test func moreArticlesThanFeaturesGivesTheSameModel() throws {
        var g = SplitMix64(seed: 5)
        let words = ["goal", "match", "vote", "council", "market", "shares", "film", "stage"]
        let examples = (0..<120).map { i -> LabeledText in
            let label = ["sports", "politics", "business", "culture"][i % 4]
            let text = (0..<6).map { _ in words[(i % 4) * 2 + Int.random(in: 0..<2, using: &g)] + " " + words[Int.random(in: 0..<8, using: &g)] }
            return LabeledText(text: text.joined(separator: " "), label: label)
        }
        let tfidf = TFIDFConfiguration(ngrams: 1...1, minDF: .count(1))
        let regression = LogisticRegressionConfiguration(c: 5, maxIterations: 10_000, tolerance: 1e-10)
        let model = try SectionClassifier.train(examples, tfidf: tfidf, regression: regression)
        let (_, x) = try TFIDFVectorizer.fit(examples.map(\.text), configuration: tfidf)
        #expect(x.rows > x.columns)
        let labels = examples.map { Int32(model.sections.firstIndex(of: $0.label)!) }
        let rowSpace = try RowSpaceSoftmaxSolver(x: x, labels: labels, classes: 4, c: 5,
                                                 settings: LBFGS(maxIterations: 10_000, tolerance: 1e-10)).minimize()
        #expect(model.report.optimizer.converged && rowSpace.report.converged)
        for e in rowSpace.coefficients.indices { #expect(isClose(model.coefficients[e], rowSpace.coefficients[e], absolute: 1e-6)) }
        for c in 0..<4 { #expect(isClose(model.intercepts[c], rowSpace.intercepts[c], absolute: 1e-6)) }
    }

    func smallModel() throws -> SectionClassifier {
        let reference = try SklearnReference.load()
        return try SectionClassifier.train(reference.documents.map { LabeledText(text: $0.text, label: $0.label) },
                                           tfidf: .init(minDF: .count(1)))
    }

    @Test func probabilitiesAreADistributionAndRanked() throws {
        let model = try smallModel()
        var g = SplitMix64(seed: 4)
        let words = ["bank", "profits", "striker", "museum", "quiet", "won", "the", "unknownword"]
        for _ in 0..<50 {
            let text = (0..<8).map { _ in words.randomElement(using: &g)! }.joined(separator: " ")
            let p = model.classify(text)
            #expect(isClose(p.probabilities.map(\.probability).reduce(0, +), 1, absolute: 1e-12))
            #expect(p.probabilities.map(\.probability) == p.probabilities.map(\.probability).sorted(by: >))
            #expect(p.section == p.probabilities[0].section)
        }
    }

    @Test func explanationIsExactShareOfTheScore() throws {
        let model = try smallModel()
        let text = "The striker won the cup as the coach praised the team."
        let p = model.classify(text, explain: 100)
        #expect(p.section == "sports")
        #expect(!p.explanation.isEmpty)
        let x = model.vectorizer.transform(text)
        let k = model.sections.firstIndex(of: p.section)!
        // Positive contributions plus negative ones plus the intercept give the score exactly.
        var negative = 0.0
        for (j, v) in zip(x.indices, x.values) {
            let c = v * model.coefficients[Int(j) * model.sections.count + k]
            if c <= 0 { negative += c }
        }
        let total = p.explanation.map(\.contribution).reduce(0, +) + negative + p.intercept
        #expect(isClose(total, model.scores(x)[k], absolute: 1e-12))
        #expect(p.explanation.map(\.contribution) == p.explanation.map(\.contribution).sorted(by: >))
        #expect(model.classify(text, explain: 2).explanation.count == 2)
    }

    @Test func oneSectionIsRefused() {
        #expect(throws: TrainingError.tooFewSections(found: ["sports"])) {
            _ = try SectionClassifier.train([LabeledText(text: "goal scored", label: "sports"),
                                             LabeledText(text: "goal missed", label: "sports")])
        }
    }

    @Test func invalidRegressionSettingsAreRefused() {
        #expect(throws: ConfigurationError.self) { try LogisticRegressionConfiguration(c: 0).validate() }
        #expect(throws: ConfigurationError.self) { try LogisticRegressionConfiguration(c: .nan).validate() }
        #expect(throws: ConfigurationError.self) { try LogisticRegressionConfiguration(maxIterations: 0).validate() }
        #expect(throws: Never.self) { try LogisticRegressionConfiguration().validate() }
    }
}

extension SectionClassifierTests {
    @Test func batchClassificationMatchesOneByOneOnAnyThreadCount() throws {
        let model = try smallModel()
        var g = SplitMix64(seed: 9)
        let words = ["bank", "profits", "striker", "museum", "quiet", "won", "the", "final", "shares"]
        let texts = (0..<300).map { _ in (0..<10).map { _ in words.randomElement(using: &g)! }.joined(separator: " ") }
        let single = texts.map { model.classify($0, explain: 3) }
        for threads in [1, 2, 4] {
            let batch = model.classify(texts, explain: 3, threads: threads)
            #expect(batch.map(\.probabilities) == single.map(\.probabilities))
            #expect(batch.map(\.explanation) == single.map(\.explanation))
        }
        // Articles (title and text joined on the threads) and their best sections alone.
        let articles = texts.enumerated().map { i, text in
            Article(id: "\(i)", title: i % 3 == 0 ? words[i % words.count] : nil, text: text)
        }
        let expected = articles.map { model.classify($0.classifierInput) }
        for threads in [1, 2] {
            let slice = articles[100..<300]
            #expect(model.classify(slice, threads: threads).map(\.probabilities) == expected[100..<300].map(\.probabilities))
            let best = model.bestSections(slice, threads: threads)
            #expect(best.map { model.sections[$0.section] } == expected[100..<300].map(\.section))
            #expect(best.map(\.probability) == expected[100..<300].map { $0.probabilities[0].probability })
        }
    }
}
