import Foundation

/// A sparse row: strictly increasing column indices with their values.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Double]

    public init(indices: [Int32] = [], values: [Double] = []) {
        self.indices = indices
        self.values = values
    }
}

/// A fitted TF-IDF vectorizer: the vocabulary (terms in byte order) and their idf weights.
/// Immutable and `Sendable`: one instance can serve many threads. The formula is documented on
/// ``TFIDFConfiguration``.
public struct TFIDFVectorizer: Sendable {
    public let configuration: TFIDFConfiguration
    /// Term `j` of the vocabulary is column `j` of every vector.
    public let vocabulary: TermTable
    public let idf: [Double]
    let stopWordTable: TermTable?
    /// Counters kept between single-text calls (their buffers are sized and in cache).
    let counters: CounterPool

    /// The vocabulary laid out for lookups, built on first use (``lookupIndex``).
    private let indexCache: VocabularyIndexCache

    /// The vocabulary laid out for lookups (``VocabularyIndex``).
    var lookupIndex: VocabularyIndex { indexCache.index(for: vocabulary, idf: idf) }

    /// A term counter for this vectorizer's settings (one per thread).
    func makeCounter() -> TermCounter { TermCounter(configuration: configuration, stopWords: stopWordTable) }

    init(configuration: TFIDFConfiguration, vocabulary: TermTable, idf: [Double], index: VocabularyIndex? = nil) {
        indexCache = VocabularyIndexCache(index)
        self.configuration = configuration
        self.vocabulary = vocabulary
        self.idf = idf
        let stopWords = TFIDFVectorizer.stopWordTable(configuration)
        stopWordTable = stopWords
        counters = CounterPool { TermCounter(configuration: configuration, stopWords: stopWords) }
    }

    public var featureCount: Int { vocabulary.count }

    /// The term of column `j`.
    public func term(_ j: Int) -> String { vocabulary.string(j) }

    static func stopWordTable(_ configuration: TFIDFConfiguration) -> TermTable? {
        guard !configuration.stopWords.isEmpty else { return nil }
        var table = TermTable(capacity: configuration.stopWords.count)
        for w in configuration.stopWords {
            table.insert(configuration.tokenizer.lowercase ? w.lowercased() : w)
        }
        return table
    }

    // MARK: - Fitting

    /// Learns the vocabulary and idf from `documents` and returns the vectorizer with the documents'
    /// TF-IDF matrix (one row per document, in order).
    ///
    /// The documents are counted in `threads` contiguous blocks, each with its own term table; the
    /// tables are merged and the vocabulary is sorted by bytes, so the result does not depend on
    /// `threads`. `progress` is called on the calling thread.
    ///
    /// - Throws: ``ConfigurationError`` for invalid settings, ``TrainingError/emptyVocabulary(documents:)``
    ///   when no term survives pruning.
    /// - Complexity: O(total bytes + terms · log terms).
    public static func fit<C: Collection>(
        _ documents: C, configuration: TFIDFConfiguration, threads: Int = 1, progress: ((Int) -> Void)? = nil
    ) throws -> (TFIDFVectorizer, CSRMatrix) where C.Element == String {
        try fit(documents, configuration: configuration, threads: threads, minimumBlock: 64, progress: progress)
    }

    /// ``fit(_:configuration:threads:progress:)`` with blocks of at least `minimumBlock` documents
    /// (tests make small corpora split into several blocks with it).
    static func fit<C: Collection>(
        _ documents: C, configuration: TFIDFConfiguration, threads: Int, minimumBlock: Int, progress: ((Int) -> Void)? = nil
    ) throws -> (TFIDFVectorizer, CSRMatrix) where C.Element == String {
        try configuration.validate()
        let counts = CorpusCounts(Array(documents), configuration: configuration, threads: threads, minimumBlock: minimumBlock)
        progress?(counts.documents)
        return try counts.fit(threads: threads)
    }

    /// `1 + ln(count)`, from a table for the common small counts.
    @inline(__always)
    static func sublinear(_ count: Int32) -> Double {
        count < 64 ? sublinearTable[Int(count)] : 1 + log(Double(count))
    }

    private static let sublinearTable: [Double] = (0..<64).map { $0 == 0 ? 0 : 1 + log(Double($0)) }

    /// Appends `tf · idf` for sorted (column, count) pairs, L2-normalised when configured.
    func appendWeighted(_ row: [(Int32, Int32)], indices: inout [Int32], values: inout [Double]) {
        let start = values.count
        values.append(contentsOf: repeatElement(0, count: row.count))
        values.withUnsafeMutableBufferPointer { out in
            weigh(row.count, count: { row[$0].1 }, idf: { idf[Int(row[$0].0)] },
                  into: UnsafeMutableBufferPointer(rebasing: out[start...]))
        }
        indices.append(contentsOf: row.map(\.0))
    }

    /// `out[e] = tf(count(e)) · idf(e)` for the `m` terms of one text, then the L2 normalisation
    /// when configured: the formula documented on ``TFIDFConfiguration``, for training rows and for
    /// transformed texts alike.
    @inline(__always)
    func weigh(_ m: Int, count: (Int) -> Int32, idf: (Int) -> Double, into out: UnsafeMutableBufferPointer<Double>) {
        var sumSquares = 0.0
        let sublinear = configuration.sublinearTF
        // The table read once here, not through its lazy global's check per term.
        TFIDFVectorizer.sublinearTable.withUnsafeBufferPointer { table in
            for e in 0..<m {
                let c = count(e)
                let tf = sublinear ? (c < 64 ? table[Int(c)] : 1 + log(Double(c))) : Double(c)
                let v = tf * idf(e)
                out[e] = v
                sumSquares += v * v
            }
        }
        if configuration.normalize && sumSquares > 0 {
            let inv = 1 / sumSquares.squareRoot()
            for e in 0..<m { out[e] *= inv }
        }
    }

    // MARK: - Transforming

    /// The TF-IDF vector of one text. Terms not in the vocabulary are ignored.
    public func transform(_ text: String) -> SparseVector {
        let index = lookupIndex
        return counters.with { transform(text, using: $0, index: index) }
    }

    /// The vector of `text`, counted with `counter`; `found` is called with each known term's
    /// column as it is looked up (a caller can start fetching what it will need for that column).
    @inline(__always)
    func transform(_ text: String, using counter: TermCounter, index: VocabularyIndex,
                   found: (Int) -> Void = { _ in }) -> SparseVector {
        var copy = text
        copy.withUTF8 { counter.prepare($0) }
        index.warm(counter.keyHashesOfPrepared)
        return vectorOfPrepared(counter, index: index, found: found)
    }

    /// The vector of the text prepared in `counter`. Terms are counted by their record in `index`
    /// (records are in id order), whose line the lookup has just read: the id and idf come from it.
    @inline(__always)
    func vectorOfPrepared(_ counter: TermCounter, index: VocabularyIndex, found: (Int) -> Void = { _ in }) -> SparseVector {
        let (records, counts) = counter.lookUpPrepared {
            let record = index.record(of: $0, keyPadded: true)  // keys point into the counter's SegmentBuffers
            if let record { found(index.id(atRecord: record)) }
            return record
        }
        let m = records.count
        var columns = [Int32](repeating: 0, count: m)
        let values = columns.withUnsafeMutableBufferPointer { columns in
            [Double](unsafeUninitializedCapacity: m) { out, n in
                // One pass over the records: each gives its column as its idf is read.
                weigh(m, count: { counts[$0] }, idf: { e in
                    let record = Int(records[e])
                    columns[e] = Int32(index.id(atRecord: record))
                    return index.idf(atRecord: record)
                }, into: out)
                n = m
            }
        }
        return SparseVector(indices: columns, values: values)
    }

    /// The TF-IDF matrix of many texts, one row each, computed on up to `threads` threads.
    public func transform(_ texts: [String], threads: Int = 1) -> CSRMatrix {
        let index = lookupIndex
        let blocks = ParallelBlocks(count: texts.count, threads: threads)
        let parts = PartResults<SparseVector>(count: texts.count)
        blocks.run { range in
            let counter = self.makeCounter()
            for i in range { parts.set(i, self.transform(texts[i], using: counter, index: index)) }
        }
        var offsets = [0]
        var indices: [Int32] = []
        var values: [Double] = []
        for v in parts.values {
            indices.append(contentsOf: v.indices)
            values.append(contentsOf: v.values)
            offsets.append(indices.count)
        }
        return CSRMatrix(rows: texts.count, columns: featureCount, rowOffsets: offsets,
                         columnIndices: indices, values: values)
    }
}
