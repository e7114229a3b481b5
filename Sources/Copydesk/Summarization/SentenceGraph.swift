import Foundation

/// TF-IDF vectors of an article's sentences and their cosine-similarity matrix.
///
/// Terms are the tokenizer's words without English stop words, Porter-stemmed; idf is computed over
/// the article's own sentences, `idf(t) = ln(n / df(t)) + 1`; vectors are L2-normalised, so the
/// similarity matrix is `X·Xᵀ`, one BLAS `dgemm` over the terms shared by at least two sentences
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
    static let stopWords = Set(StopWords.english)

    static func terms(_ text: String) -> [String] {
        tokenizer.tokens(text).compactMap { t in
            if stopWords.contains(t) { return nil }
            return t.utf8.allSatisfy({ $0 < 0x80 }) ? PorterStemmer.stem(t) : t
        }
    }

    init(sentences: [String], headline: String?) {
        let n = sentences.count
        count = n
        let bags = sentences.map(SentenceGraph.terms)
        var df: [String: Int] = [:]
        for bag in bags { for t in Set(bag) { df[t, default: 0] += 1 } }
        let idf = df.mapValues { log(Double(n) / Double($0)) + 1 }
        // Weighted, normalised vectors as dictionaries, then a dense matrix over shared terms.
        func vector(_ bag: [String]) -> [String: Double] {
            var tf: [String: Double] = [:]
            for t in bag { tf[t, default: 0] += 1 }
            var v: [String: Double] = [:]
            var norm = 0.0
            for (t, c) in tf { let w = c * (idf[t] ?? 1); v[t] = w; norm += w * w }
            if norm > 0 { let inv = 1 / norm.squareRoot(); for t in v.keys { v[t]! *= inv } }
            return v
        }
        let vectors = bags.map(vector)
        coverage = bags.map { bag in Set(bag).reduce(0) { $0 + log(Double(df[$1] ?? 1)) } }
        let shared = df.filter { $0.value >= 2 }.keys.sorted()
        let column = Dictionary(uniqueKeysWithValues: shared.enumerated().map { ($1, $0) })
        let m = shared.count
        var sim = [Double](repeating: 0, count: n * n)
        if m > 0 && n > 0 {
            var x = [Double](repeating: 0, count: n * m)
            for (i, v) in vectors.enumerated() { for (t, w) in v { if let j = column[t] { x[i * m + j] = w } } }
            BLAS.gemm(transposeA: false, transposeB: true, m: n, n: n, k: m, alpha: 1, x, lda: m, x, ldb: m,
                      beta: 0, &sim, ldc: n)
        }
        for i in 0..<n { sim[i * n + i] = vectors[i].isEmpty ? 0 : 1 }
        similarity = sim
        if let headline, !headline.isEmpty {
            let h = vector(SentenceGraph.terms(headline))
            headlineSimilarity = vectors.map { v in v.reduce(0) { $0 + $1.value * (h[$1.key] ?? 0) } }
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
