import Foundation
import Testing
@testable import Copydesk

@Suite struct TFIDFTests {
    /// Three documents whose values are written out by hand:
    /// d0 = "red red blue", d1 = "blue green", d2 = "green green green"; n = 3, smooth idf, raw tf.
    @Test func handComputedFixture() throws {
        let config = TFIDFConfiguration(tokenizer: .init(minimumLength: 1), ngrams: 1...1, minDF: .count(1), sublinearTF: false)
        let (v, x) = try TFIDFVectorizer.fit(["red red blue", "blue green", "green green green"], configuration: config)
        #expect((0..<3).map(v.term) == ["blue", "green", "red"])
        let idfShared = log(4.0 / 3.0) + 1  // blue, green: df = 2
        let idfRed = log(4.0 / 2.0) + 1     // red: df = 1
        #expect(isClose(v.idf[0], idfShared) && isClose(v.idf[1], idfShared) && isClose(v.idf[2], idfRed))
        // d0: blue 1·idfShared, red 2·idfRed, normalised.
        let n0 = (idfShared * idfShared + 4 * idfRed * idfRed).squareRoot()
        let d = x.dense()
        #expect(isClose(d[0], idfShared / n0) && d[1] == 0 && isClose(d[2], 2 * idfRed / n0))
        // d1: blue and green equal weights → 1/√2 each.
        #expect(isClose(d[3], 1 / 2.0.squareRoot()) && isClose(d[4], 1 / 2.0.squareRoot()) && d[5] == 0)
        // d2: green only → 1.
        #expect(d[6] == 0 && isClose(d[7], 1) && d[8] == 0)
    }

    @Test func matchesScikitLearnFixtures() throws {
        let reference = try SklearnReference.load()
        let texts = reference.documents.map(\.text)
        let settings: [String: TFIDFConfiguration] = [
            "defaults": .scikitLearnDefaults,
            "bigrams_sublinear_min_df_2": TFIDFConfiguration(tokenizer: .init(rule: .scikitLearn), ngrams: 1...2,
                                                             minDF: .count(2), sublinearTF: true),
            "max_df_and_max_features": TFIDFConfiguration(tokenizer: .init(rule: .scikitLearn), ngrams: 1...1, minDF: .count(1),
                                                          maxDF: .fraction(0.5), maxFeatures: 8, sublinearTF: false, smoothIDF: false),
        ]
        for case_ in reference.tfidf {
            let config = try #require(settings[case_.name], "no Swift settings for fixture \(case_.name)")
            let (v, x) = try TFIDFVectorizer.fit(texts, configuration: config)
            // Counting in blocks on several threads gives the same vocabulary and matrix: with blocks
            // of at least 1 document, the 12 documents are counted in 3 tables that are merged.
            #expect(ParallelBlocks(count: texts.count, threads: 3, minimumBlock: 1).ranges.count == 3)
            #expect(ParallelBlocks(count: texts.count, threads: 3).ranges.count == 1, "the default would not split them")
            let (v3, x3) = try TFIDFVectorizer.fit(texts, configuration: config, threads: 3, minimumBlock: 1)
            #expect((0..<v3.featureCount).map(v3.term) == (0..<v.featureCount).map(v.term) && x3 == x && v3.idf == v.idf)
            #expect((0..<v.featureCount).map(v.term) == case_.vocabulary, "\(case_.name): vocabulary")
            for (j, idf) in case_.idf.enumerated() { #expect(isClose(v.idf[j], idf, absolute: 1e-12), "\(case_.name): idf[\(j)]") }
            let dense = x.dense()
            for (i, row) in case_.matrix.enumerated() {
                for (j, value) in row.enumerated() {
                    #expect(isClose(dense[i * row.count + j], value, absolute: 1e-12), "\(case_.name): x[\(i), \(j)]")
                }
            }
        }
    }

    @Test func transformEqualsFittedRows() throws {
        let reference = try SklearnReference.load()
        let texts = reference.documents.map(\.text)
        let (v, x) = try TFIDFVectorizer.fit(texts, configuration: .init(ngrams: 1...2, minDF: .count(1)))
        for (i, t) in texts.enumerated() {
            let row = v.transform(t)
            #expect(row.indices.map(Int.init) == x.row(i).map(\.column))
            #expect(zip(row.values, x.row(i).map(\.value)).allSatisfy { isClose($0, $1) })
        }
        // Many texts on two threads: enough of them to be split into two blocks (asserted).
        let many = Array(repeatElement(texts, count: 12).joined())
        #expect(ParallelBlocks(count: many.count, threads: 2).ranges.count == 2)
        #expect(v.transform(many, threads: 2) == x.selectingRows(many.indices.map { $0 % texts.count }))
        #expect(v.transform(texts, threads: 2) == x)
    }

    /// The calibration's folds are fitted from the corpus's counts: a subset's vectorizer and rows
    /// are those of fitting the subset alone, and the other documents' rows are their transforms.
    @Test func subsetOfCountsFitsAsTheSubsetAlone() throws {
        let texts = try SklearnReference.load().documents.map(\.text)
        let fitted = texts.indices.filter { $0 % 3 != 1 }, others = texts.indices.filter { $0 % 3 == 1 }
        for config in [TFIDFConfiguration(ngrams: 1...2, minDF: .count(2)),
                       TFIDFConfiguration(ngrams: 1...1, minDF: .count(1), maxDF: .fraction(0.5), maxFeatures: 8,
                                          sublinearTF: false, smoothIDF: false)] {
            // Counted in three blocks, so the subset's documents come from merged tables.
            let counts = CorpusCounts(texts, configuration: config, threads: 3, minimumBlock: 1)
            #expect(ParallelBlocks(count: texts.count, threads: 3, minimumBlock: 1).ranges.count == 3)
            let (v, x, rest) = try counts.fit(documents: fitted, others: others, threads: 2)
            let (alone, xAlone) = try TFIDFVectorizer.fit(fitted.map { texts[$0] }, configuration: config)
            #expect((0..<v.featureCount).map(v.term) == (0..<alone.featureCount).map(alone.term))
            #expect(v.idf == alone.idf && x == xAlone)
            #expect(rest == alone.transform(others.map { texts[$0] }))
            let (all, xAll) = try counts.fit(threads: 1)
            let (direct, xDirect) = try TFIDFVectorizer.fit(texts, configuration: config)
            #expect(all.idf == direct.idf && xAll == xDirect)
        }
    }

    @Test func rowsHaveUnitNormAndUnknownTermsAreIgnored() throws {
        let reference = try SklearnReference.load()
        let (v, x) = try TFIDFVectorizer.fit(reference.documents.map(\.text), configuration: .init(minDF: .count(1)))
        for i in 0..<x.rows {
            let norm = x.row(i).reduce(0) { $0 + $1.value * $1.value }.squareRoot()
            #expect(isClose(norm, 1, absolute: 1e-12))
        }
        #expect(v.transform("zzyzx qwerty") == SparseVector())
    }

    @Test func stopWordsAreRemovedBeforeNGrams() throws {
        let config = TFIDFConfiguration(ngrams: 1...2, minDF: .count(1), stopWords: ["the", "of"])
        let (v, _) = try TFIDFVectorizer.fit(["the mayor of the city", "city hall"], configuration: config)
        let terms = Set((0..<v.featureCount).map(v.term))
        #expect(terms.contains("mayor city"))
        #expect(!terms.contains("the") && !terms.contains("mayor of"))
    }

    @Test func invalidSettingsAreRefused() {
        #expect(throws: ConfigurationError.self) { try TFIDFConfiguration(ngrams: 0...2).validate() }
        #expect(throws: ConfigurationError.self) { try TFIDFConfiguration(minDF: .fraction(1.5)).validate() }
        #expect(throws: ConfigurationError.self) { try TFIDFConfiguration(maxFeatures: 0).validate() }
        #expect(throws: TrainingError.emptyVocabulary(documents: 2)) {
            _ = try TFIDFVectorizer.fit(["alpha beta", "gamma delta"], configuration: .init(minDF: .count(2)))
        }
        #expect(throws: Never.self) { try TFIDFConfiguration().validate() }
    }

    /// Single-text calls share pooled counters: from many threads at once, after a text that grew
    /// the buffers, the vectors are those of a fresh counter.
    @Test func pooledCountersGiveTheSameVectors() throws {
        let docs = (0..<40).map { i in
            "Story \(i): the council met on Monday about the state-of-the-art U.S. bridge, cost $\(i),200; "
                + String(repeating: "word\(i % 7) ", count: i * 3)
        }
        let (vectorizer, _) = try TFIDFVectorizer.fit(docs, configuration: .init(ngrams: 1...2, minDF: .count(1)))
        let index = VocabularyIndex(vectorizer.vocabulary, idf: vectorizer.idf)
        let expected = docs.map { vectorizer.transform($0, using: TermCounter(configuration: vectorizer.configuration,
                                                                                stopWords: vectorizer.stopWordTable), index: index) }
        _ = vectorizer.transform(String(repeating: "long text grows every buffer ", count: 20_000))
        let results = PartResults<[SparseVector]>(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            results.set(t, (0..<docs.count).map { vectorizer.transform(docs[($0 + 5 * t) % docs.count]) })
        }
        for (t, vectors) in results.values.enumerated() {
            for (i, v) in vectors.enumerated() { #expect(v == expected[(i + 5 * t) % docs.count], "thread \(t), text \(i)") }
        }
    }
}
