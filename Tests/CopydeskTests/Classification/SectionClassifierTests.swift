import Foundation
import Testing
@testable import Copydesk

@Suite struct SectionClassifierTests {
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
        let p = model.probabilities(model.vectorizer.transform(docs.first!.text))
        for (cl, value) in c.probabilities_first_doc.enumerated() { #expect(isClose(p[cl], value, absolute: 1e-7)) }
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
    }
}
