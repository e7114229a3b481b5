import Foundation

/// TF-IDF vectors of an article's sentences and their cosine-similarity matrix.
///
/// Terms are the tokenizer's words without English stop words, Porter-stemmed; idf is computed over
/// the article's own sentences, `idf(t) = ln(n / df(t)) + 1`; vectors are L2-normalised, so the
/// similarity matrix is `X·Xᵀ`, one BLAS `dsyrk` over the terms shared by at least two sentences
/// (a term in one sentence only adds nothing off the diagonal; norms are taken before dropping it).
/// Length-normalised cosine centrality misses one thing readers value: how much of the article's
/// recurring vocabulary a sentence carries, so the graph also reports ``coverage``.
struct SentenceGraph {
    let count: Int
    /// `count × count`, row-major; the diagonal is 1 for non-empty sentences.
    let similarity: [Double]
    /// Similarity of each sentence to the headline (0 without one).
    let headlineSimilarity: [Double]
    /// `Σ ln df(t)` over the sentence's distinct terms: how much of the article's recurring
    /// vocabulary it carries (0 for terms found in no other sentence).
    let coverage: [Double]

    static let tokenizer = Tokenizer(.init(minimumLength: 2))
    static let stopWords: TermTable = {
        var t = TermTable(capacity: StopWords.english.count)
        for w in StopWords.english { t.insert(w) }
        return t
    }()

    /// Turns sentences into bags of term ids: tokens without stop words, ASCII ones Porter-stemmed.
    /// Works on token bytes; a `String` and a stem are made once per distinct word of the article.
    struct TermBags {
        private var words = TermTable(capacity: 512)
        /// Term id of each distinct word (-1 for a stop word).
        private var termOfWord: [Int] = []
        private var terms = TermTable(capacity: 512)
        private var tokens = TokenList()
        var stems: StemCache

        init(stems: StemCache) { self.stems = stems }

        var termCount: Int { terms.count }

        mutating func bag(_ text: String) -> [Int] {
            tokens.removeAll()
            var copy = text
            copy.withUTF8 { SentenceGraph.tokenizer.tokenize($0, into: &tokens) }
            var out: [Int] = []
            out.reserveCapacity(tokens.count)
            let segmentHashes = tokens.storage.tokens.hashes
            tokens.withBytes { bytes in
                for k in 0..<tokens.count {
                    let key = UnsafeBufferPointer(rebasing: bytes[tokens.range(k)])
                    // A token has no space: its key hash follows from the hash the tokenizer stored
                    // (``TermHash/hash(_:)`` of one segment). The tables below share it.
                    let h = TermHash.finish(TermHash.combine(TermHash.seed, segmentHashes[k]))
                    let word = words.insert(key, hash: h)
                    if word == termOfWord.count {
                        termOfWord.append(term(for: key, hash: h))
                    }
                    let t = termOfWord[word]
                    if t >= 0 { out.append(t) }
                }
            }
            return out
        }

        private mutating func term(for key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int {
            if SentenceGraph.stopWords.id(of: key, hash: h) != nil { return -1 }
            guard key.allSatisfy({ $0 < 0x80 }) else { return terms.insert(key, hash: h) }
            return terms.insert(stems.stem(key, hash: h))
        }
    }

    /// Porter stems of ASCII words, remembered across the articles one thread summarizes (a batch
    /// repeats most of its vocabulary). Holds at most ``limit`` words; later ones are stemmed each time.
    struct StemCache {
        private var words: TermTable
        private var stems: [String] = []
        static let limit = 100_000

        init(capacity: Int = 4096) { words = TermTable(capacity: capacity) }

        mutating func stem(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> String {
            if let id = words.id(of: key, hash: h) { return stems[id] }
            let s = PorterStemmer.stem(String(decoding: key, as: UTF8.self))
            if stems.count < StemCache.limit {
                words.insert(key, hash: h)
                stems.append(s)
            }
            return s
        }
    }

    init(sentences: [String], headline: String?) {
        var stems = StemCache()
        self.init(sentences: sentences, headline: headline, stems: &stems)
    }

    init(sentences: [String], headline: String?, stems: inout StemCache) {
        let n = sentences.count
        count = n
        // The bags own the cache while they work (a second reference would make its first insert
        // copy the whole cache, once per article), and hand it back at the end.
        var termBags = TermBags(stems: StemCache(capacity: 0))
        swap(&termBags.stems, &stems)
        defer { swap(&termBags.stems, &stems) }
        func bag(_ text: String) -> [Int] { termBags.bag(text) }
        let bags = sentences.map(bag)
        let headlineBag = headline.map(bag) ?? []
        let termCount = termBags.termCount
        var df = [Int](repeating: 0, count: termCount)
        var seen = [Int](repeating: -1, count: termCount)
        for (i, b) in bags.enumerated() { for t in b where seen[t] != i { seen[t] = i; df[t] += 1 } }
        let idf = df.map { $0 > 0 ? log(Double(n) / Double($0)) + 1 : 1 }
        /// Sorted (term, weight) pairs, L2-normalised: counts by sorting the bag.
        func vector(_ b: [Int]) -> [(Int, Double)] {
            let sorted = b.sorted()
            var v: [(Int, Double)] = []
            var k = 0
            while k < sorted.count {
                var e = k + 1
                while e < sorted.count && sorted[e] == sorted[k] { e += 1 }
                v.append((sorted[k], Double(e - k) * idf[sorted[k]]))
                k = e
            }
            let norm = v.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            if norm > 0 { for k in v.indices { v[k].1 /= norm } }
            return v
        }
        let vectors = bags.map(vector)
        // Σ ln df over each sentence's distinct terms, in increasing term order.
        coverage = vectors.map { v in v.reduce(0) { $0 + log(Double(max(df[$1.0], 1))) } }
        // Dense matrix over the terms shared by two or more sentences.
        var column = [Int](repeating: -1, count: termCount)
        var m = 0
        for t in 0..<termCount where df[t] >= 2 { column[t] = m; m += 1 }
        var sim = [Double](repeating: 0, count: n * n)
        if m > 0 && n > 0 {
            var x = [Double](repeating: 0, count: n * m)
            for (i, v) in vectors.enumerated() { for (t, w) in v where column[t] >= 0 { x[i * m + column[t]] = w } }
            BLAS.syrkUpper(n: n, k: m, alpha: 1, x, lda: m, beta: 0, &sim, ldc: n)
            for i in 0..<n { for j in 0..<i { sim[i * n + j] = sim[j * n + i] } }
        }
        for i in 0..<n { sim[i * n + i] = vectors[i].isEmpty ? 0 : 1 }
        similarity = sim
        if !headlineBag.isEmpty {
            var h = [Double](repeating: 0, count: termCount)
            // The headline's terms weighted with the article's idf (1 for terms only the headline has).
            for (t, w) in vector(headlineBag) { h[t] = w }
            headlineSimilarity = vectors.map { v in v.reduce(0) { $0 + $1.1 * h[$1.0] } }
        } else {
            headlineSimilarity = [Double](repeating: 0, count: n)
        }
    }

    /// Continuous LexRank: the stationary vector of `p = (1 − d)/n + d · Mᵀ p`, `M` the similarity
    /// matrix with rows normalised to sum 1, by power iteration (BLAS `dgemv`) with a cap.
    func lexRank(damping d: Double, maxIterations: Int, tolerance: Double) -> (scores: [Double], iterations: Int) {
        let n = count
        guard n > 0 else { return ([], 0) }
        var m = similarity
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += m[i * n + j] }
            // A sentence with no similarity to anything links uniformly (a dangling node).
            if s > 0 { for j in 0..<n { m[i * n + j] /= s } } else { for j in 0..<n { m[i * n + j] = 1 / Double(n) } }
        }
        var p = [Double](repeating: 1 / Double(n), count: n)
        var next = p
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            for i in 0..<n { next[i] = (1 - d) / Double(n) }
            BLAS.gemv(transpose: true, rows: n, columns: n, alpha: d, m, lda: n, p, beta: 1, &next)
            var change = 0.0
            for i in 0..<n { change += abs(next[i] - p[i]) }
            swap(&p, &next)
            if change < tolerance { break }
        }
        return (p, iterations)
    }
}
