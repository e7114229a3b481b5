import Foundation

/// A corpus's term counts, counted once: each document's (term, count) pairs over one merged term
/// table, with every term's document frequency and total count.
///
/// A vectorizer is fitted from it on all the documents or on any subset of them (a calibration
/// fold's training articles), with the subset's own vocabulary and idf: exactly what counting the
/// subset alone would give, without reading its texts again. The documents outside the subset get
/// their rows over that vocabulary, as ``TFIDFVectorizer/transform(_:)`` would give them.
struct CorpusCounts: Sendable {
    let configuration: TFIDFConfiguration
    /// The merged term table (every term seen, before pruning).
    private(set) var table: TermTable
    /// Per merged term, over all the documents: documents containing it, and occurrences.
    private(set) var df: [Int32]
    private(set) var total: [Int]
    /// The counting blocks, their term ids replaced by merged ids.
    private var blocks: [RawCounts]
    /// The first document of each block, and one past the last.
    private var blockStarts: [Int]

    var documents: Int { blockStarts.last ?? 0 }

    /// Counts `texts` in contiguous blocks of at least `minimumBlock` documents on up to `threads`
    /// threads, each block with its own term table; the tables are merged in block order, so the
    /// merged table does not depend on `threads`.
    init(_ texts: [String], configuration: TFIDFConfiguration, threads: Int, minimumBlock: Int = 64) {
        self.configuration = configuration
        let stopWords = TFIDFVectorizer.stopWordTable(configuration)
        let counting = ParallelBlocks(count: texts.count, threads: threads, minimumBlock: minimumBlock)
        let parts = PartResults<RawCounts>(count: counting.ranges.count)
        counting.runIndexed { b, range in
            parts.set(b, RawCounts(texts[range], configuration: configuration, stopWords: stopWords))
        }
        var raw = parts.values
        blockStarts = counting.ranges.map(\.lowerBound) + [texts.count]

        // Merge the blocks' tables into the first one and rewrite each block's ids as merged ids.
        // Taken by swap, not copied: a second reference would make the first insert copy the table.
        var table = TermTable(capacity: 0), df: [Int32] = [], total: [Int] = []
        swap(&table, &raw[0].table)
        swap(&df, &raw[0].df)
        swap(&total, &raw[0].total)
        for b in 1..<raw.count {
            let part = raw[b]
            var map = [Int32](repeating: 0, count: part.table.count)
            part.table.arena.withUnsafeBufferPointer { arena in
                for id in 0..<part.table.count {
                    let merged = table.insert(UnsafeBufferPointer(rebasing: arena[part.table.range(id)]),
                                              hash: part.table.hashes[id])
                    if merged == df.count { df.append(0); total.append(0) }
                    df[merged] += part.df[id]
                    total[merged] += part.total[id]
                    map[id] = Int32(merged)
                }
            }
            raw[b].table = TermTable(capacity: 0)
            raw[b].df = []
            raw[b].total = []
            raw[b].ids = raw[b].ids.map { map[Int($0)] }
        }
        self.table = table
        self.df = df
        self.total = total
        blocks = raw
    }

    /// The vectorizer fitted on all the documents, with their TF-IDF matrix (one row per document,
    /// in order).
    ///
    /// - Throws: ``ConfigurationError`` when `maxDF` resolves below `minDF`,
    ///   ``TrainingError/emptyVocabulary(documents:)`` when no term survives pruning.
    func fit(threads: Int) throws -> (TFIDFVectorizer, CSRMatrix) {
        let (vectorizer, columns) = try vocabulary(documents: documents, df: df, total: total)
        return (vectorizer, rows(Array(0..<documents), columns: columns, vectorizer: vectorizer, threads: threads))
    }

    /// The vectorizer fitted on the documents `fitted` (their own document frequencies, totals and
    /// count), their matrix, and the matrix of the documents `others` over its vocabulary.
    func fit(documents fitted: [Int], others: [Int], threads: Int) throws -> (TFIDFVectorizer, CSRMatrix, CSRMatrix) {
        var subsetDF = [Int32](repeating: 0, count: table.count), subsetTotal = [Int](repeating: 0, count: table.count)
        for i in fitted {
            let (block, entries) = location(i)
            for e in entries {
                let id = Int(blocks[block].ids[e])
                subsetDF[id] += 1
                subsetTotal[id] += Int(blocks[block].counts[e])
            }
        }
        let (vectorizer, columns) = try vocabulary(documents: fitted.count, df: subsetDF, total: subsetTotal)
        return (vectorizer, rows(fitted, columns: columns, vectorizer: vectorizer, threads: threads),
                rows(others, columns: columns, vectorizer: vectorizer, threads: threads))
    }

    /// The block holding document `i` and the range of its entries there.
    private func location(_ i: Int) -> (block: Int, entries: Range<Int>) {
        var b = 0
        while blockStarts[b + 1] <= i { b += 1 }
        let local = i - blockStarts[b]
        return (b, blocks[b].offsets[local]..<blocks[b].offsets[local + 1])
    }

    /// Prunes by document frequency, then by total count (`maxFeatures`), over `n` documents, and
    /// returns the vectorizer with each merged term's column (−1 for a pruned term).
    private func vocabulary(documents n: Int, df: [Int32], total: [Int]) throws -> (TFIDFVectorizer, [Int32]) {
        let minDocs = configuration.minDF.documents(of: n)
        let maxDocs = configuration.maxDF.documents(of: n)
        guard maxDocs >= minDocs else {
            throw ConfigurationError(parameter: "max-df", value: "\(configuration.maxDF)",
                                     expected: "a bound of at least min-df (\(configuration.minDF)) documents")
        }
        var keep = (0..<table.count).filter { df[$0] > 0 && Double(df[$0]) >= minDocs && Double(df[$0]) <= maxDocs }
        if let limit = configuration.maxFeatures, keep.count > limit {
            table.sortByBytes(&keep) { total[$0] != total[$1] ? (total[$0] > total[$1] ? .before : .after) : .tie }
            keep.removeSubrange(limit...)
        }
        guard !keep.isEmpty else {
            throw TrainingError.emptyVocabulary(documents: n)
        }
        table.sortByBytes(&keep)

        var vocabulary = TermTable(capacity: keep.count)
        var columns = [Int32](repeating: -1, count: table.count)
        var idf = [Double](repeating: 0, count: keep.count)
        let nd = Double(n)
        table.arena.withUnsafeBufferPointer { arena in
            for (j, old) in keep.enumerated() {
                vocabulary.insert(UnsafeBufferPointer(rebasing: arena[table.range(old)]), hash: table.hashes[old])
                columns[old] = Int32(j)
                let d = Double(df[old])
                idf[j] = configuration.smoothIDF ? log((1 + nd) / (1 + d)) + 1 : log(nd / d) + 1
            }
        }
        return (TFIDFVectorizer(configuration: configuration, vocabulary: vocabulary, idf: idf), columns)
    }

    /// The TF-IDF rows of `documents` (in that order), weighted on up to `threads` threads.
    private func rows(_ documents: [Int], columns: [Int32], vectorizer: TFIDFVectorizer, threads: Int) -> CSRMatrix {
        let split = ParallelBlocks(count: documents.count, threads: threads)
        let parts = PartResults<(offsets: [Int], indices: [Int32], values: [Double])>(count: split.ranges.count)
        split.runIndexed { b, range in
            var offsets = [0]
            offsets.reserveCapacity(range.count + 1)
            var indices: [Int32] = []
            var values: [Double] = []
            var row: [(Int32, Int32)] = []
            for i in documents[range] {
                let (block, entries) = location(i)
                let raw = blocks[block]
                row.removeAll(keepingCapacity: true)
                for e in entries {
                    let j = columns[Int(raw.ids[e])]
                    if j >= 0 { row.append((j, raw.counts[e])) }
                }
                row.sort { $0.0 < $1.0 }
                vectorizer.appendWeighted(row, indices: &indices, values: &values)
                offsets.append(indices.count)
            }
            parts.set(b, (offsets, indices, values))
        }
        var offsets = [0]
        offsets.reserveCapacity(documents.count + 1)
        var indices: [Int32] = []
        var values: [Double] = []
        for part in parts.values {
            let base = indices.count
            offsets.append(contentsOf: part.offsets.dropFirst().map { $0 + base })
            indices.append(contentsOf: part.indices)
            values.append(contentsOf: part.values)
        }
        return CSRMatrix(rows: documents.count, columns: vectorizer.featureCount, rowOffsets: offsets,
                         columnIndices: indices, values: values)
    }
}

/// The term counts of a block of documents, with the block's own term table.
struct RawCounts: Sendable {
    var table = TermTable(capacity: 1 << 16)
    /// Document `i`'s (id, count) pairs are at `offsets[i]..<offsets[i + 1]`.
    var offsets = [0]
    var ids: [Int32] = []
    var counts: [Int32] = []
    /// Per term: documents containing it, and occurrences.
    var df: [Int32] = []
    var total: [Int] = []

    init<S: Sequence>(_ documents: S, configuration: TFIDFConfiguration, stopWords: TermTable?) where S.Element == String {
        let counter = TermCounter(configuration: configuration, stopWords: stopWords)
        for document in documents {
            var text = document
            text.withUTF8 { bytes in
                let (found, occurrences) = counter.count(bytes, lookup: { table.insert($0) })
                ids.append(contentsOf: found)
                counts.append(contentsOf: occurrences)
                for (id, c) in zip(found, occurrences) {
                    let j = Int(id)
                    if j >= df.count { df.append(0); total.append(0) }
                    df[j] += 1
                    total[j] += Int(c)
                }
            }
            offsets.append(ids.count)
        }
    }
}
